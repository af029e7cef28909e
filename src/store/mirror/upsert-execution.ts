import type { ExecutionUpdate } from '../../workflows/contracts/mirror';
import type { Queryable } from '../query';

/**
 * Creates or advances an execution row. Idempotent: replaying the same update changes
 * nothing, and a terminal status is never moved back to running by a late retry. True when
 * the row now holds this update (false: a terminal status kept it), so the caller knows
 * whether the fact it reports was written.
 */
export async function upsertExecution(db: Queryable, executionId: string, organizationId: string, update: ExecutionUpdate): Promise<boolean> {
  const written = await db.query({
    name: 'mirror/upsert-execution',
    text: `INSERT INTO executions AS e (id, organization_id, graph_id, graph_version, status, input, output, error,
                                  workflow_id, run_id, started_at, finished_at, retry_of, deadline_at, queued_at, concurrency_key, schedule_id, parent_execution_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (id) DO UPDATE SET
       status      = EXCLUDED.status,
       input       = coalesce(EXCLUDED.input, e.input),
       output      = CASE WHEN EXCLUDED.status IN ('failed', 'cancelled', 'timed_out') THEN NULL ELSE coalesce(EXCLUDED.output, e.output) END,
       error       = CASE WHEN EXCLUDED.status = 'completed' THEN NULL ELSE coalesce(EXCLUDED.error, e.error) END,
       run_id      = coalesce(EXCLUDED.run_id, e.run_id),
       started_at  = coalesce(e.started_at, EXCLUDED.started_at),
       finished_at = coalesce(EXCLUDED.finished_at, e.finished_at),
       retry_of    = coalesce(e.retry_of, EXCLUDED.retry_of),
       deadline_at = coalesce(e.deadline_at, EXCLUDED.deadline_at),
       queued_at   = least(e.queued_at, EXCLUDED.queued_at),
       concurrency_key = coalesce(e.concurrency_key, EXCLUDED.concurrency_key),
       schedule_id = coalesce(e.schedule_id, EXCLUDED.schedule_id),
       parent_execution_id = coalesce(e.parent_execution_id, EXCLUDED.parent_execution_id),
       updated_at  = now()
     WHERE e.status NOT IN ('completed', 'failed', 'cancelled', 'timed_out') OR EXCLUDED.status = e.status
        -- a newer run of the same execution (temporal workflow reset) has the last word
        OR (EXCLUDED.finished_at IS NOT NULL AND EXCLUDED.run_id IS DISTINCT FROM e.run_id)`,
    values: [
      executionId,
      organizationId,
      update.graphId,
      update.graphVersion,
      update.status,
      update.input === undefined ? null : JSON.stringify(update.input),
      update.output === undefined ? null : JSON.stringify(update.output),
      update.error ? JSON.stringify(update.error) : null,
      update.workflowId,
      update.runId,
      update.startedAt ?? null,
      update.finishedAt ?? null,
      update.retryOf ?? null,
      update.deadlineAt ?? null,
      update.queuedAt ?? null,
      update.concurrencyKey ?? null,
      update.scheduleId ?? null,
      update.parentExecutionId ?? null,
    ],
  });
  return (written.rowCount ?? 0) > 0;
}
