import type { Pool } from 'pg';
import { decidedNodeIds, recordContextSnapshot } from '../../store/context-snapshots/record-context-snapshot';
import { upsertSteps } from '../../store/mirror/upsert-steps';
import { inTransaction } from '../../store/query';
import type { StepUpdate } from '../../workflows/contracts/mirror';

/**
 * Writes the step updates that rode along with a node activity (what the workflow decided
 * since its last batch), with their context snapshot in the same transaction (DESIGN §12), as
 * a flush would. Updates that decide no node (a map's progress) take no snapshot: one
 * statement, no transaction.
 */
export async function writeCarriedSteps(pool: Pool, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<void> {
  if (steps.length === 0) return;
  if (decidedNodeIds(steps).length === 0) return upsertSteps(pool, executionId, organizationId, steps);
  await inTransaction(pool, async (client) => {
    await upsertSteps(client, executionId, organizationId, steps);
    await recordContextSnapshot(client, executionId, organizationId, steps);
  });
}
