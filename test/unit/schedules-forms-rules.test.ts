/** Pure rules of schedules, trigger filters and the submitter role. */
import { describe, expect, test } from 'vitest';
import { InvalidRequestError } from '../../src/client/errors';
import { checkScheduleRequest, temporalOverlap, temporalSpec } from '../../src/client/schedules/spec';
import { checkTriggerFilter, filterVerdict } from '../../src/client/trigger-filter';
import { roleAllows, ROLES } from '../../src/common/keys';

function problemsOf(work: () => unknown): { path: string; message: string }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidRequestError) return [...error.problems];
    throw error;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('schedule requests', () => {
  test('cron or every, exactly one; overlap defaults to skip and maps to Temporal policies', () => {
    expect(checkScheduleRequest({ graphId: 'g', every: '2s' })).toEqual({ spec: { every: '2s' }, overlap: 'skip' });
    expect(checkScheduleRequest({ graphId: 'g', cron: ' */5 * * * * ', overlap: 'buffer' })).toEqual({ spec: { cron: '*/5 * * * *' }, overlap: 'buffer' });
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g' }))).toEqual([{ path: '$', message: expect.stringContaining('exactly one of cron') }]);
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', cron: '* * * * *', every: '1s' }))[0].path).toBe('$');
    expect(temporalOverlap('skip')).toBe('SKIP');
    expect(temporalOverlap('buffer')).toBe('BUFFER_ONE');
    expect(temporalOverlap('allow')).toBe('ALLOW_ALL');
    expect(temporalSpec({ every: '2m' })).toEqual({ intervals: [{ every: 120_000 }] });
    expect(temporalSpec({ cron: '0 * * * *' })).toEqual({ cronExpressions: ['0 * * * *'] });
  });

  test('a bad interval, cron or overlap is named by its path', () => {
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', every: 'soon' }))).toEqual([{ path: '$.every', message: expect.stringContaining('duration') }]);
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', every: '1500ms' }))).toEqual([{ path: '$.every', message: 'must be whole seconds, at least "1s"' }]);
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', every: '999d' }))[0].path).toBe('$.every');
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', cron: '   ' }))[0].path).toBe('$.cron');
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', cron: '* * * * *\n* * * * *' }))[0].path).toBe('$.cron');
    expect(problemsOf(() => checkScheduleRequest({ graphId: 'g', every: '1s', overlap: 'cancel' }))).toEqual([{ path: '$.overlap', message: 'must be one of skip, buffer, allow' }]);
  });
});

describe('trigger filters', () => {
  const event = { id: 'e1', type: 'order.created', payload: { total: 150, country: 'NL' } };

  test('checked at creation: a bad expression or a non-bool one is refused at $.filter', () => {
    expect(() => checkTriggerFilter('event.payload.total > 100')).not.toThrow();
    expect(problemsOf(() => checkTriggerFilter('event.payload.total >'))).toEqual([{ path: '$.filter', message: expect.stringContaining('does not parse') }]);
    expect(problemsOf(() => checkTriggerFilter('input.total > 1'))[0].message).toContain('type-check');
    expect(problemsOf(() => checkTriggerFilter('1 + 2'))[0].message).toContain('must be a bool');
  });

  test('evaluated over event: true passes, false and errors do not, with a reason', () => {
    expect(filterVerdict(null, event)).toEqual({ pass: true });
    expect(filterVerdict('event.payload.total > 100 && event.type == "order.created"', event)).toEqual({ pass: true });
    expect(filterVerdict('event.payload.country == "DE"', event)).toEqual({ pass: false, reason: 'filter is false' });
    const failed = filterVerdict('event.payload.missing > 1', event);
    expect(failed.pass).toBe(false);
    expect(!failed.pass && failed.reason).toMatch(/failed/);
    const notBool = filterVerdict('event.payload.total', event);
    expect(!notBool.pass && notBool.reason).toMatch(/must be a bool/);
  });
});

describe('roles', () => {
  test('submitter can only submit; operator and admin can submit too; viewer cannot', () => {
    expect(ROLES).toContain('submitter');
    expect(roleAllows('submitter', 'submitter')).toBe(true);
    for (const needed of ['viewer', 'operator', 'admin'] as const) expect(roleAllows('submitter', needed)).toBe(false);
    expect(roleAllows('operator', 'submitter')).toBe(true);
    expect(roleAllows('admin', 'submitter')).toBe(true);
    expect(roleAllows('viewer', 'submitter')).toBe(false);
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});
