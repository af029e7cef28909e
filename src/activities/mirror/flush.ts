import type { Pool } from 'pg';
import { upsertStepsWithSnapshot } from '../../store/context-snapshots/upsert-steps-with-snapshot';
import { deadLetterCreatedNotice, executionEndedNotice } from '../../notifications/notices';
import { insertDeadLetter } from '../../store/mirror/insert-dead-letter';
import { reconcileAttempts } from '../../store/mirror/reconcile-attempts';
import { upsertExecution } from '../../store/mirror/upsert-execution';
import { enqueueNotifications } from '../../store/notifications/enqueue-notifications';
import { inTransaction } from '../../store/query';
import type { MirrorBatch } from '../../workflows/contracts/mirror';

/**
 * Applies one batch from the workflow atomically; idempotent, so a retried flush is harmless.
 * The outbox rows of what the batch reports (execution.failed / timed_out, dead_letter.created)
 * go in the same transaction: a fact is never stored without its notifications, nor twice.
 * So does the context snapshot of the nodes it decides (DESIGN §12), at no Temporal cost.
 */
export async function flushMirrorBatch(pool: Pool, batch: MirrorBatch): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (batch.execution && (await upsertExecution(client, batch.executionId, batch.organizationId, batch.execution))) {
      const ended = executionEndedNotice(batch.executionId, batch.organizationId, batch.execution);
      if (ended) await enqueueNotifications(client, ended);
    }
    await upsertStepsWithSnapshot(client, batch.executionId, batch.organizationId, batch.steps);
    await reconcileAttempts(client, batch.executionId, batch.organizationId, batch.steps);
    // Same transaction as the final failure: a failed execution never lacks its dead letter.
    if (batch.deadLetter && batch.execution && (await insertDeadLetter(client, batch.executionId, batch.organizationId, batch.execution, batch.deadLetter))) {
      await enqueueNotifications(client, deadLetterCreatedNotice(batch.executionId, batch.organizationId, batch.execution, batch.deadLetter));
    }
  });
}
