import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { historyTimes, inlineDecisionEvents } from '../../bench/history-times';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/**
 * a (activity) -> t1 (inline) -> b (activity) -> t2 (inline), as the server records it: the
 * first task schedules a; the task after a's completion decides t1 and schedules b; the one
 * after b's completion decides t2. A timed-out task in between decides nothing.
 */
// fromObject turns the numbers into the Longs the server sends.
const history = proto.temporal.api.history.v1.History.fromObject({
  events: [
    { eventId: 1, eventTime: at(1000), workflowExecutionStartedEventAttributes: {} },
    { eventId: 2, eventTime: at(1001), workflowTaskScheduledEventAttributes: {} },
    { eventId: 3, eventTime: at(1002), workflowTaskStartedEventAttributes: {} },
    { eventId: 4, eventTime: at(1010), workflowTaskCompletedEventAttributes: { startedEventId: 3 } },
    { eventId: 5, eventTime: at(1010), activityTaskScheduledEventAttributes: { activityId: 'a' } },
    { eventId: 6, eventTime: at(1012), activityTaskStartedEventAttributes: { scheduledEventId: 5 } },
    { eventId: 7, eventTime: at(1020), activityTaskCompletedEventAttributes: { scheduledEventId: 5, startedEventId: 6 } },
    { eventId: 8, eventTime: at(1021), workflowTaskScheduledEventAttributes: {} },
    { eventId: 9, eventTime: at(1022), workflowTaskStartedEventAttributes: {} },
    { eventId: 10, eventTime: at(1030), workflowTaskTimedOutEventAttributes: { startedEventId: 9 } },
    { eventId: 11, eventTime: at(1031), workflowTaskScheduledEventAttributes: {} },
    { eventId: 12, eventTime: at(1032), workflowTaskStartedEventAttributes: {} },
    { eventId: 13, eventTime: at(1040), workflowTaskCompletedEventAttributes: { startedEventId: 12 } },
    { eventId: 14, eventTime: at(1040), activityTaskScheduledEventAttributes: { activityId: 'b' } },
    { eventId: 15, eventTime: at(1041), activityTaskStartedEventAttributes: { scheduledEventId: 14 } },
    { eventId: 16, eventTime: at(1050), activityTaskCompletedEventAttributes: { scheduledEventId: 14, startedEventId: 15 } },
    { eventId: 17, eventTime: at(1051), workflowTaskScheduledEventAttributes: {} },
    { eventId: 18, eventTime: at(1052), workflowTaskStartedEventAttributes: {} },
    { eventId: 19, eventTime: at(1060), workflowTaskCompletedEventAttributes: { startedEventId: 18 } },
  ],
});
const nodes = ['a', 't1', 'b', 't2'];
const edges = [
  { from: 'a', to: 't1' },
  { from: 't1', to: 'b' },
  { from: 'b', to: 't2' },
];

describe('bench history times', () => {
  it('finds each activity end by its activity id', () => {
    const times = historyTimes(history);
    expect(times.activityEnds.get('a')).toEqual({ eventId: 7, endedMs: 1020 });
    expect(times.activityEnds.get('b')).toEqual({ eventId: 16, endedMs: 1050 });
  });

  it('dates each inline node by the first completed workflow task after its last activity predecessor ended', () => {
    const times = historyTimes(history);
    const decided = inlineDecisionEvents(nodes, edges, times.activityEnds);
    expect([...decided]).toEqual([
      ['t1', 7],
      ['t2', 16],
    ]);
    // The task started at event 9 timed out: t1 was decided by the next one.
    expect(times.taskAfter(decided.get('t1')!)).toEqual({ startedMs: 1032, completedMs: 1040 });
    expect(times.taskAfter(decided.get('t2')!)).toEqual({ startedMs: 1052, completedMs: 1060 });
  });

  it('dates an inline node behind other inline nodes, or without predecessors, like its first activity ancestor or the first task', () => {
    const times = historyTimes(history);
    const decided = inlineDecisionEvents(['s', 'u', 'a'], [{ from: 's', to: 'u' }, { from: 'u', to: 'a' }], times.activityEnds);
    expect(decided.get('s')).toBe(0);
    expect(decided.get('u')).toBe(0);
    expect(times.taskAfter(0)).toEqual({ startedMs: 1002, completedMs: 1010 });
  });
});
