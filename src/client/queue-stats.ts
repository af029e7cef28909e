import { WorkflowNotFoundError } from '@temporalio/client';
import { slotsWorkflowId } from '../workflows/contracts/names';
import { queueStatsQuery, type QueueStats } from '../workflows/contracts/slots';
import type { ClientDeps } from './deps';
import { asTemporalError } from './unavailable';

/** Slots of a concurrency key: `{ref, maxConcurrent, active, queued, oldestQueuedAt}`; all zero for a key never used. */
export async function queueStats(deps: ClientDeps, organizationId: string, key: string): Promise<QueueStats> {
  try {
    return await deps.temporal.workflow.getHandle(slotsWorkflowId(organizationId, key)).query(queueStatsQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { ref: key, maxConcurrent: null, active: 0, queued: 0, oldestQueuedAt: null };
    throw asTemporalError(error);
  }
}
