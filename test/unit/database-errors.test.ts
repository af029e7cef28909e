import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { mirrorFlushFailure } from '../../src/activities/mirror/refusal';
import { isConnectionError, isTransientDatabaseError } from '../../src/store/database-errors';

const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

describe('database error classes', () => {
  it('connection failures and server shutdowns are connection errors', () => {
    for (const code of ['ECONNREFUSED', '57P01', '08006']) expect(isConnectionError(pgError(code))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(pgError('23505'))).toBe(false);
  });

  it('contention and resource limits are transient; refusals are not', () => {
    for (const code of ['40001', '40P01', '53300', '57014']) expect(isTransientDatabaseError(pgError(code))).toBe(true);
    for (const code of ['23514', '22P05', '42703']) expect(isTransientDatabaseError(pgError(code))).toBe(false);
  });
});

describe('mirror flush failures', () => {
  it('an outage is retried as it is, however many attempts it took', () => {
    const outage = pgError('ECONNREFUSED');
    expect(mirrorFlushFailure(outage, 100)).toBe(outage);
  });

  it('a data or constraint refusal stops at once, non-retryable, with its code', () => {
    const failure = mirrorFlushFailure(pgError('22P05', 'unsupported Unicode escape sequence'), 1);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'MirrorWriteRefused', nonRetryable: true });
    expect((failure as Error).message).toContain('22P05');
  });

  it('an unclassified error gets a few attempts before it counts as a refusal', () => {
    const odd = pgError('42703', 'column "x" does not exist');
    expect(mirrorFlushFailure(odd, 1)).toBe(odd);
    expect(mirrorFlushFailure(odd, 5)).toMatchObject({ type: 'MirrorWriteRefused', nonRetryable: true });
  });
});
