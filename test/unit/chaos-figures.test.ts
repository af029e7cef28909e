/**
 * The chaos suite's figures on made-up evidence, so each can be seen to fail: recovery times
 * from kills, side effects and history events (scripts/chaos/recovery.ts), and duplicate
 * effects at the receiver (scripts/chaos/receiver.ts).
 */
import type { temporal } from '@temporalio/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceivedDelivery } from '../../scripts/chaos/receiver';
import { recoveryTimes } from '../../scripts/chaos/recovery';

const KILLED = '1@host';
const SURVIVOR = '2@host';
const T = 1_000_000;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
// History's timestamps hold Long seconds; a plain number reads the same.
const event = (ms: number, fields: object): HistoryEvent => ({ eventTime: { seconds: Math.floor((T + ms) / 1000), nanos: ((T + ms) % 1000) * 1e6 }, ...fields }) as unknown as HistoryEvent;
const started = (ms: number, identity: string) => event(ms, { workflowTaskStartedEventAttributes: { identity } });
const completed = (ms: number, identity: string) => event(ms, { workflowTaskCompletedEventAttributes: { identity } });
const scheduled = (ms: number) => event(ms, { workflowTaskScheduledEventAttributes: {} });
const timedOut = (ms: number) => event(ms, { workflowTaskTimedOutEventAttributes: {} });
/** A workflow started with a 2 s workflow task timeout: a task held by the killed worker may take 2 s + 3 s. */
const startedWith2s = event(-10_000, { workflowExecutionStartedEventAttributes: { workflowTaskTimeout: { seconds: 2 } } });
const delivery = (ms: number, attempt: number, worker: string): ReceivedDelivery => ({ idempotencyKey: 'e1/n1', attempt, workflowId: 'e1', activityId: 'n1', worker, receivedAt: T + ms, applied: attempt === 1 });
const kill = { worker: KILLED, at: T, phase: 'worker kills' };

describe('recoveryTimes', () => {
  it('times a cut-off attempt to the next attempt on another worker', () => {
    const [recovery] = recoveryTimes([kill], [delivery(-50, 1, KILLED), delivery(2300, 2, SURVIVOR)], [], new Map());
    expect(recovery).toMatchObject({ items: 1, ms: 2300, handedOverMs: 2300, overBound: [] });
    const [late] = recoveryTimes([kill], [delivery(-50, 1, KILLED), delivery(3100, 2, SURVIVOR)], [], new Map());
    expect(late.overBound).toMatchObject([{ kind: 'handed-over', ms: 3100, boundMs: 3000 }]);
  });

  it('ignores an attempt that had ended before the kill', () => {
    const [recovery] = recoveryTimes([kill], [delivery(-50, 1, KILLED), delivery(900, 2, SURVIVOR)], [{ idempotencyKey: 'e1/n1', attempt: 1, worker: KILLED, outcome: 'failed', receivedAt: T - 10 }], new Map());
    expect(recovery).toMatchObject({ items: 0, ms: undefined });
  });

  it('times a workflow cached on the killed worker from when its next task was due to a task another worker took up', () => {
    const history = [scheduled(-300), started(-290, KILLED), completed(-280, KILLED), scheduled(500), started(1600, SURVIVOR), completed(1700, SURVIVOR)];
    const [recovery] = recoveryTimes([kill], [], [], new Map([['e1', history]]));
    expect(recovery).toMatchObject({ items: 1, ms: 1100, handedOverMs: 1100 });
  });

  it('times a workflow task the killed worker was running from the kill, against its timeout; a start that timed out does not count', () => {
    const history = [startedWith2s, scheduled(-300), started(-20, KILLED), timedOut(1980), scheduled(1980), started(2100, SURVIVOR), timedOut(4100), scheduled(4100), started(4200, SURVIVOR), completed(4300, SURVIVOR)];
    const [recovery] = recoveryTimes([kill], [], [], new Map([['e1', history]]));
    expect(recovery).toMatchObject({ items: 1, ms: 4200, heldTaskMs: 4200, handedOverMs: undefined, overBound: [] });
    const slower = [startedWith2s, scheduled(-300), started(-20, KILLED), started(5200, SURVIVOR), completed(5300, SURVIVOR)];
    expect(recoveryTimes([kill], [], [], new Map([['e1', slower]]))[0].overBound).toMatchObject([{ kind: 'held-task', ms: 5200, boundMs: 5000 }]);
  });

  it('counts a task dispatched to the killed worker as it died as held by it', () => {
    const history = [scheduled(-300), started(-290, KILLED), completed(-280, KILLED), scheduled(-5), started(20, KILLED), timedOut(10_020), scheduled(10_020), started(10_100, SURVIVOR), completed(10_200, SURVIVOR)];
    const [recovery] = recoveryTimes([kill], [], [], new Map([['e1', history]]));
    expect(recovery).toMatchObject({ items: 1, heldTaskMs: 10_100, overBound: [] });
  });

  it('counts a task taken up by a worker that a later kill took too as taken up (the later kill answers for it)', () => {
    const third = '3@host';
    const history = [scheduled(-300), started(-290, KILLED), completed(-280, KILLED), scheduled(500), started(1500, SURVIVOR), timedOut(11_500), scheduled(11_500), started(11_600, third), completed(11_700, third)];
    const laterKill = { worker: SURVIVOR, at: T + 2000, phase: 'worker kills' };
    const [first, second] = recoveryTimes([kill, laterKill], [], [], new Map([['e1', history]]));
    expect(first).toMatchObject({ items: 1, handedOverMs: 1000 });
    expect(second).toMatchObject({ items: 1, heldTaskMs: 9600 });
  });

  it('leaves out a workflow another worker held', () => {
    const history = [scheduled(-300), started(-290, SURVIVOR), completed(-280, SURVIVOR), scheduled(500), started(550, SURVIVOR), completed(600, SURVIVOR)];
    expect(recoveryTimes([kill], [], [], new Map([['e1', history]]))[0].items).toBe(0);
  });
});

describe('receiver', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => receiver?.close());

  const send = async (body: object): Promise<void> => {
    const response = await fetch(`${receiver!.url}/effects`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(204);
  };

  it('applies each key once and counts the repeats', async () => {
    receiver = await startReceiver();
    for (const attempt of [1, 2, 3]) await send({ idempotencyKey: 'e1/n1', attempt, workflowId: 'e1', activityId: 'n1', worker: KILLED });
    expect(receiver.figures()).toMatchObject({ deliveries: 3, deliveriesRepeated: 2, repeatedAfterLostAttempt: 2, effectsApplied: 1, effectsAppliedTwice: 0 });
  });

  it('counts an effect applied twice when one activity sent two keys', async () => {
    receiver = await startReceiver();
    await send({ idempotencyKey: 'e1/n1#1', attempt: 1, workflowId: 'e1', activityId: 'n1', worker: KILLED });
    await send({ idempotencyKey: 'e1/n1#2', attempt: 2, workflowId: 'e1', activityId: 'n1', worker: SURVIVOR });
    expect(receiver.figures()).toMatchObject({ effectsApplied: 2, effectsAppliedTwice: 1 });
  });
});
