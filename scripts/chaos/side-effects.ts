/**
 * The side effect every node attempt of a chaos worker sends, before the node's own work: a
 * POST to the run's receiver (scripts/chaos/receiver.ts) carrying an idempotency key, as a
 * real http node would call an outside service. A retried attempt sends it again (at least
 * once); the receiver dedupes by key. After the work, a second POST tells the receiver the
 * attempt ended, so the run knows which attempts a SIGKILL cut off. There is no http node
 * yet, so this rides on createEngineWorker's `wrapNodeActivity`.
 */
import { Context } from '@temporalio/activity';
import type { NodeActivity } from '../../src/worker';
import type { NodeActivityInput } from '../../src/workflows/contracts/node-activity';

/** What the receiver is told at the start of an attempt. */
export interface Delivery {
  idempotencyKey: string;
  attempt: number;
  /** Temporal's own names for the activity: the receiver's ground truth of "the same effect". */
  workflowId: string;
  activityId: string;
  /** The worker's Temporal identity. */
  worker: string;
}

export interface AttemptEnd {
  idempotencyKey: string;
  attempt: number;
  worker: string;
  outcome: 'completed' | 'failed';
}

/** One key per effect: the execution and node, and whether it is the node's compensation. */
export function idempotencyKey(input: NodeActivityInput): string {
  return `${input.executionId}/${input.nodeId}${input.phase === 'compensate' ? '/compensate' : ''}`;
}

async function post(url: string, body: Delivery | AttemptEnd): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`receiver answered ${response.status}`);
}

export function sendingSideEffects(receiverUrl: string, worker: string): (activity: NodeActivity) => NodeActivity {
  return (activity) => async (input) => {
    const info = Context.current().info;
    const key = idempotencyKey(input);
    // The effect itself: when it cannot be delivered the attempt fails and Temporal retries it.
    await post(`${receiverUrl}/effects`, { idempotencyKey: key, attempt: info.attempt, workflowId: info.workflowExecution?.workflowId ?? input.executionId, activityId: info.activityId, worker });
    const ended = (outcome: AttemptEnd['outcome']): Promise<void> => post(`${receiverUrl}/attempts/ended`, { idempotencyKey: key, attempt: info.attempt, worker, outcome }).catch(() => undefined);
    try {
      const result = await activity(input);
      await ended('completed');
      return result;
    } catch (error) {
      await ended('failed');
      throw error;
    }
  };
}
