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
const delivery = (ms: number, attempt: number, worker: string): ReceivedDelivery => ({ idempotencyKey: 'e1/n1', attempt, workflowId: 'e1', activityId: 'n1', worker, receivedAt: T + ms, applied: attempt === 1 });
const kill = { worker: KILLED, at: T, phase: 'worker kills' };

describe('recoveryTimes', () => {
  it('times a cut-off attempt to the next attempt on another worker', () => {
    const [recovery] = recoveryTimes([kill], [delivery(-50, 1, KILLED), delivery(2300, 2, SURVIVOR)], [], new Map());
    expect(recovery).toMatchObject({ items: 1, ms: 2300 });
  });

  it('ignores an attempt that had ended before the kill', () => {
    const [recovery] = recoveryTimes([kill], [delivery(-50, 1, KILLED), delivery(900, 2, SURVIVOR)], [{ idempotencyKey: 'e1/n1', attempt: 1, worker: KILLED, outcome: 'failed', receivedAt: T - 10 }], new Map());
    expect(recovery).toMatchObject({ items: 0, ms: undefined });
  });

  it('times a workflow cached on the killed worker from when its next task was due to a task completed elsewhere', () => {
    const history = [scheduled(-300), started(-290, KILLED), completed(-280, KILLED), scheduled(500), completed(1700, SURVIVOR)];
    const [recovery] = recoveryTimes([kill], [], [], new Map([['e1', history]]));
    expect(recovery).toMatchObject({ items: 1, ms: 1200 });
  });

  it('times a workflow task the killed worker was running from the kill', () => {
    const history = [scheduled(-300), started(-20, KILLED), started(2100, SURVIVOR), completed(2150, SURVIVOR)];
    const [recovery] = recoveryTimes([kill], [], [], new Map([['e1', history]]));
    expect(recovery).toMatchObject({ items: 1, ms: 2150 });
  });

  it('leaves out a workflow another worker held', () => {
    const history = [scheduled(-300), started(-290, SURVIVOR), completed(-280, SURVIVOR), scheduled(500), completed(600, SURVIVOR)];
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
