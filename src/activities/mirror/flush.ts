import type { Pool } from 'pg';
import { inTransaction } from '../../db/query';
import type { MirrorBatch } from '../../workflows/contracts/mirror';
import { insertDeadLetter } from './insert-dead-letter';
import { reconcileAttempts } from './reconcile-attempts';
import { upsertExecution } from './upsert-execution';
import { upsertSteps } from './upsert-steps';

/** Applies one batch from the workflow atomically; idempotent, so a retried flush is harmless. */
export async function flushMirrorBatch(pool: Pool, batch: MirrorBatch): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (batch.execution) await upsertExecution(client, batch.executionId, batch.organizationId, batch.execution);
    await upsertSteps(client, batch.executionId, batch.organizationId, batch.steps);
    await reconcileAttempts(client, batch.executionId, batch.organizationId, batch.steps);
    // Same transaction as the final failure: a failed execution never lacks its dead letter.
    if (batch.deadLetter && batch.execution) await insertDeadLetter(client, batch.executionId, batch.organizationId, batch.execution, batch.deadLetter);
  });
}
