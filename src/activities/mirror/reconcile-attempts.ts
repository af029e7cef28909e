import type { StepUpdate } from '../../workflows/contracts';
import type { Queryable } from '../../db/query';

const LOST_ATTEMPT = { type: 'AttemptLost', message: 'the attempt ended without reporting (worker stopped, timed out or the mirror was unreachable)' };

/**
 * Once the workflow knows a step's final status and attempt count (Temporal's history), every
 * attempt row must exist and none may stay "running": rows an activity could not write (the
 * worker died, Postgres was down) are created, dangling ones closed. Rows already closed by
 * their activity are left as they are.
 */
export async function reconcileAttempts(db: Queryable, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<void> {
  const rows = steps
    .filter((step) => step.final && (step.attempts ?? 0) > 0)
    .map((step) => ({
      node_id: step.nodeId,
      attempts: step.attempts,
      last_status: step.status === 'completed' ? 'completed' : step.status === 'failed' ? 'failed' : 'cancelled',
      last_error: step.status === 'completed' ? null : step.error ? { type: step.error.type, message: step.error.message } : null,
      finished_at: step.finishedAt ?? null,
    }));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO execution_step_attempts AS a (execution_id, node_id, attempt, organization_id, status, finished_at, error)
     SELECT $1, u.node_id, n, $2,
            CASE WHEN n < u.attempts THEN 'failed' ELSE u.last_status END,
            u.finished_at,
            CASE WHEN n < u.attempts THEN $4::jsonb ELSE u.last_error END
       FROM jsonb_to_recordset($3::jsonb) AS u(node_id text, attempts int, last_status text, last_error jsonb, finished_at timestamptz),
            generate_series(1, u.attempts) AS n
     ON CONFLICT (execution_id, node_id, attempt) DO UPDATE SET
       status      = EXCLUDED.status,
       finished_at = coalesce(a.finished_at, EXCLUDED.finished_at),
       error       = coalesce(a.error, EXCLUDED.error)
     WHERE a.status = 'running'`,
    [executionId, organizationId, JSON.stringify(rows), JSON.stringify(LOST_ATTEMPT)],
  );
}
