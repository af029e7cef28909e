/**
 * Which executions holding a concurrency slot have ended without releasing it. An execution
 * releases its slot from its own workflow code however it ends, except when no code of it
 * runs any more: `temporal workflow terminate`, a timeout set on the workflow itself, or a
 * history deleted after retention. The slots workflow asks this while executions wait.
 */
import { log, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

/**
 * At most this many holders are described per check (one Temporal call each), in turn, so a
 * key with `max` in the thousands costs a bounded call rate; the rest are checked next time.
 */
const HOLDERS_PER_CHECK = 100;

// Few quick tries: a check that cannot be made now is made again at the next interval, and
// the slots workflow must not stop granting while Temporal is slow to answer.
const { endedExecutions } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 3 },
});

export class SlotHolderCheck {
  private turn = 0;

  /** The holders among `holders` that have ended (an empty list when the check failed). */
  async ended(holders: readonly string[], context: Record<string, unknown>): Promise<string[]> {
    if (holders.length === 0) return [];
    const start = this.turn % holders.length;
    const batch = [...holders.slice(start), ...holders.slice(0, start)].slice(0, HOLDERS_PER_CHECK);
    this.turn = start + batch.length;
    try {
      return await endedExecutions(batch);
    } catch (error) {
      log.warn('could not check whether slot holders still run; checking again later', { ...context, error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }
}
