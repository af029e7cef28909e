import type { Pool } from 'pg';
import { upsertStepsWithSnapshot } from '../../store/context-snapshots/upsert-steps-with-snapshot';
import type { StepUpdate } from '../../workflows/contracts/mirror';

/**
 * Writes the step updates that rode along with a node activity (what the workflow decided
 * since its last batch), with their context snapshot (DESIGN §12), as a flush would: one
 * statement on the pool, atomic by itself.
 */
export async function writeCarriedSteps(pool: Pool, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<void> {
  await upsertStepsWithSnapshot(pool, executionId, organizationId, steps);
}
