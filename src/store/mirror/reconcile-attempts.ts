import type { StepUpdate } from '../../workflows/contracts/mirror';
import type { Queryable } from '../query';

/** The error of an attempt that never reported its end (its worker died, it timed out, Postgres was away). */
export const LOST_ATTEMPT = {
  type: 'AttemptLost',
  message: 'the attempt did not report in time (worker stopped, it timed out, or the mirror was unreachable)',
};

/**
 * Once the workflow knows a step's final status and attempt count (Temporal's history), the
 * attempt rows must say the same: every attempt before the last failed, the last one ended
 * as the step did. Rows an activity could not write (the worker died, Postgres was down) are
 * created; rows that contradict history (an attempt that finished after its timeout and
 * wrote "completed") are corrected; an activity's own error text is kept.
 */
export async function reconcileAttempts(db: Queryable, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<void> {
  const final = steps.filter((step) => step.final);
  const counted = final
    .filter((step) => (step.attempts ?? 0) > 0)
    .map((step) => ({
      node_id: step.nodeId,
      attempts: step.attempts,
      last_status: step.status === 'completed' || step.status === 'compensated' ? 'completed' : step.status === 'failed' ? 'failed' : 'cancelled',
      last_error: step.status === 'completed' || step.status === 'compensated' ? null : step.error ? { type: step.error.type, message: step.error.message } : LOST_ATTEMPT,
      finished_at: step.finishedAt ?? null,
    }));
  if (counted.length > 0) {
    await db.query({
      name: 'mirror/reconcile-attempts',
      text: `INSERT INTO execution_step_attempts AS a (execution_id, node_id, attempt, organization_id, status, finished_at, error)
       SELECT $1, u.node_id, n, $2,
              CASE WHEN n < u.attempts THEN 'failed' ELSE u.last_status END,
              u.finished_at,
              CASE WHEN n < u.attempts THEN $4::jsonb ELSE u.last_error END
         FROM jsonb_to_recordset($3::jsonb) AS u(node_id text, attempts int, last_status text, last_error jsonb, finished_at timestamptz),
              generate_series(1, u.attempts) AS n
       ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET
         status      = EXCLUDED.status,
         finished_at = coalesce(a.finished_at, EXCLUDED.finished_at),
         error       = CASE WHEN EXCLUDED.status = 'completed' THEN NULL
                            WHEN a.status IN ('failed', 'cancelled') THEN coalesce(a.error, EXCLUDED.error)
                            ELSE EXCLUDED.error END
       WHERE a.status <> EXCLUDED.status`,
      values: [executionId, organizationId, JSON.stringify(counted), JSON.stringify(LOST_ATTEMPT)],
    });
  }
  // A compensated step's compensation, the same way: attempts 1..N, the last completed. Its
  // activity writes them too, but not while Postgres is away or once its worker died.
  const compensated = final
    .filter((step) => step.status === 'compensated' && (step.compensationAttempts ?? 0) > 0)
    .map((step) => ({ node_id: step.nodeId, attempts: step.compensationAttempts, finished_at: step.finishedAt ?? null }));
  if (compensated.length > 0) {
    await db.query({
      name: 'mirror/reconcile-compensation-attempts',
      text: `INSERT INTO execution_step_attempts AS a (execution_id, node_id, kind, attempt, organization_id, status, finished_at, error)
       SELECT $1, u.node_id, 'compensate', n, $2,
              CASE WHEN n < u.attempts THEN 'failed' ELSE 'completed' END,
              u.finished_at,
              CASE WHEN n < u.attempts THEN $4::jsonb END
         FROM jsonb_to_recordset($3::jsonb) AS u(node_id text, attempts int, finished_at timestamptz),
              generate_series(1, u.attempts) AS n
       ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET
         status      = EXCLUDED.status,
         finished_at = coalesce(a.finished_at, EXCLUDED.finished_at),
         error       = CASE WHEN EXCLUDED.status = 'completed' THEN NULL ELSE coalesce(a.error, EXCLUDED.error) END
       WHERE a.status <> EXCLUDED.status`,
      values: [executionId, organizationId, JSON.stringify(compensated), JSON.stringify(LOST_ATTEMPT)],
    });
  }
  // A cancelled node whose activity never heard of the cancel (no heartbeat yet) leaves its
  // attempt running; history says it is over.
  const cancelled = final.filter((step) => step.status === 'cancelled').map((step) => step.nodeId);
  if (cancelled.length > 0) {
    await db.query({
      name: 'mirror/cancel-running-attempts',
      text: `UPDATE execution_step_attempts SET status = 'cancelled', finished_at = coalesce(finished_at, now())
        WHERE execution_id = $1 AND node_id = ANY($2::text[]) AND kind = 'run' AND status = 'running'`,
      values: [executionId, cancelled],
    });
  }
}
