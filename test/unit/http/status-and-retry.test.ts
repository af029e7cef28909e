/** `expect` parsing, Retry-After and how statuses and transport errors are classified. */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { errors } from 'undici';
import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPECT, parseStatusSet, statusInSet } from '../../../src/workflows/graph/http-status-set';
import { callFailure, isRetryableStatus, statusFailure } from '../../../src/activities/nodes/http/failures';
import { EgressDeniedError } from '../../../src/activities/nodes/http/egress-guard';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../src/activities/nodes/http/retry-after';

describe('expect', () => {
  test('default is 200-299', () => {
    expect(parseStatusSet(undefined)).toEqual(DEFAULT_EXPECT);
    expect(statusInSet(200, DEFAULT_EXPECT)).toBe(true);
    expect(statusInSet(299, DEFAULT_EXPECT)).toBe(true);
    expect(statusInSet(300, DEFAULT_EXPECT)).toBe(false);
    expect(statusInSet(199, DEFAULT_EXPECT)).toBe(false);
  });

  test('codes, classes and ranges, alone or in a list', () => {
    expect(parseStatusSet(404)).toEqual([[404, 404]]);
    expect(parseStatusSet('4xx')).toEqual([[400, 499]]);
    expect(parseStatusSet('4XX')).toEqual([[400, 499]]);
    expect(parseStatusSet([200, '3xx', '404 - 410', '418'])).toEqual([
      [200, 200],
      [300, 399],
      [404, 410],
      [418, 418],
    ]);
    const set = parseStatusSet(['2xx', 404])!;
    expect([204, 404, 403, 500].map((status) => statusInSet(status, set))).toEqual([true, true, false, false]);
  });

  test.each([[[]], [99], [600], [200.5], ['6xx'], ['20x'], ['300-200'], ['200-600'], ['ok'], [['2xx', 'nope']]])('%j is refused', (value) => {
    expect(parseStatusSet(value as never)).toBeUndefined();
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  test('seconds', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['2', '9'], now)).toBe(2000);
  });
  test('an HTTP date', () => {
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
  });
  test('absent, unreadable, zero or past: none (the policy backoff applies)', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-1', now)).toBeUndefined();
    expect(retryAfterMs('1.5', now)).toBeUndefined();
    expect(retryAfterMs('0', now)).toBeUndefined();
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBeUndefined();
  });
  test('capped at a day', () => {
    expect(retryAfterMs('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('status classification', () => {
  test.each([408, 429, 500, 502, 503, 599])('%i is retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
    const failure = statusFailure(status, 'GET http://x/a', 'busy', '7');
    expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: false, nextRetryDelay: 7000 });
    expect(failure.message).toBe(`GET http://x/a answered ${status}: busy`);
  });

  test.each([300, 400, 401, 403, 404, 409, 422])('%i is not retried', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
    const failure = statusFailure(status, 'POST http://x/a', '', '5');
    expect(failure).toMatchObject({ type: 'HttpError', nonRetryable: true, nextRetryDelay: undefined });
    expect(failure.message).toContain(`answered ${status} (empty body)`);
  });
});

describe('transport failures', () => {
  const signals = (state: { cancelled?: unknown; timedOut?: boolean } = {}) => {
    const cancellation = new AbortController();
    const timeout = new AbortController();
    if (state.cancelled !== undefined) cancellation.abort(state.cancelled);
    if (state.timedOut) timeout.abort();
    return { cancellation: cancellation.signal, timeout: timeout.signal, timeoutText: '2s', target: 'GET http://x/a' };
  };

  test('our own failures pass through', () => {
    const own = ApplicationFailure.create({ type: 'HttpError', message: 'm', nonRetryable: true });
    expect(callFailure(own, signals({ timedOut: true }))).toBe(own);
  });

  test('a cancellation is the activity cancellation, whatever the client threw', () => {
    const reason = new CancelledFailure('CANCELLED');
    expect(callFailure(new Error('aborted'), signals({ cancelled: reason }))).toBe(reason);
  });

  test('the timeout is a retryable HttpTimeout naming the limit', () => {
    expect(callFailure(new Error('aborted'), signals({ timedOut: true }))).toMatchObject({ type: 'HttpTimeout', nonRetryable: false, message: 'GET http://x/a: no complete answer within 2s (config.timeout)' });
    expect(callFailure(new errors.HeadersTimeoutError(), signals())).toMatchObject({ type: 'HttpTimeout' });
  });

  test('a refusal by the guard is a non-retryable EgressDenied', () => {
    expect(callFailure(new EgressDeniedError('refused to connect to 10.0.0.1'), signals())).toMatchObject({ type: 'EgressDenied', nonRetryable: true });
  });

  test('connection errors are a retryable HttpNetworkError with their code', () => {
    const refused = Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
    expect(callFailure(refused, signals())).toMatchObject({ type: 'HttpNetworkError', nonRetryable: false, message: 'GET http://x/a: connect refused (ECONNREFUSED)' });
  });

  test('a request the client refuses to send is not retried', () => {
    expect(callFailure(new errors.InvalidArgumentError('invalid x-a header'), signals())).toMatchObject({ type: 'HttpInvalidRequest', nonRetryable: true });
  });
});
