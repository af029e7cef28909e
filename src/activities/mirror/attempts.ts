import type { Json, NodeError } from '../../workflows/graph/types';
import type { Queryable } from '../../db/query';

export interface AttemptKey {
  executionId: string;
  organizationId: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
}

// Once the workflow has written a step's final word (Temporal's history), a late activity
// write (an attempt finishing after its timeout) never rewrites that step's attempts.

/** An attempt starts: its row, and the step shown running (unless the workflow already decided it). */
export async function recordAttemptStarted(db: Queryable, key: AttemptKey): Promise<void> {
  await db.query(
    `WITH attempt AS (
       INSERT INTO execution_step_attempts (execution_id, node_id, attempt, organization_id, status, started_at)
       VALUES ($1, $2, $3, $4, 'running', now())
       ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET status = 'running', started_at = now(), finished_at = NULL, error = NULL
       WHERE NOT EXISTS (SELECT 1 FROM execution_steps f
                          WHERE f.execution_id = EXCLUDED.execution_id AND f.node_id = EXCLUDED.node_id AND f.final)
     )
     INSERT INTO execution_steps AS s (execution_id, organization_id, node_id, node_type, status, attempts, started_at)
     VALUES ($1, $4, $2, $5, 'running', $3, now())
     ON CONFLICT (execution_id, node_id) DO UPDATE SET
       status = 'running', attempts = greatest(s.attempts, EXCLUDED.attempts),
       started_at = coalesce(s.started_at, EXCLUDED.started_at), updated_at = now()
     WHERE NOT s.final`,
    [key.executionId, key.nodeId, key.attempt, key.organizationId, key.nodeType],
  );
}

/**
 * An attempt succeeded: the attempt closes and the step completes with its output, in one
 * statement. False when the step was not written (the workflow had already given its final
 * word, e.g. in an earlier run before a reset): the workflow then writes it itself.
 */
export async function recordAttemptCompleted(db: Queryable, key: AttemptKey, output: Json): Promise<boolean> {
  const written = await db.query(
    `WITH attempt AS (
       INSERT INTO execution_step_attempts (execution_id, node_id, attempt, organization_id, status, finished_at)
       VALUES ($1, $2, $3, $4, 'completed', now())
       ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET status = 'completed', finished_at = now(), error = NULL
       WHERE NOT EXISTS (SELECT 1 FROM execution_steps f
                          WHERE f.execution_id = EXCLUDED.execution_id AND f.node_id = EXCLUDED.node_id AND f.final)
     )
     INSERT INTO execution_steps AS s (execution_id, organization_id, node_id, node_type, status, attempts, finished_at, output)
     VALUES ($1, $4, $2, $5, 'completed', $3, now(), $6::jsonb)
     ON CONFLICT (execution_id, node_id) DO UPDATE SET
       status = 'completed', attempts = greatest(s.attempts, EXCLUDED.attempts), finished_at = now(),
       output = EXCLUDED.output, error = NULL, updated_at = now()
     WHERE NOT s.final`,
    [key.executionId, key.nodeId, key.attempt, key.organizationId, key.nodeType, JSON.stringify(output)],
  );
  return (written.rowCount ?? 0) > 0;
}

/** An attempt failed; whether the step failed for good is the workflow's to say (retries). */
export async function recordAttemptFailed(db: Queryable, key: AttemptKey, error: Pick<NodeError, 'type' | 'message'>, status: 'failed' | 'cancelled' = 'failed'): Promise<void> {
  await db.query(
    `INSERT INTO execution_step_attempts (execution_id, node_id, attempt, organization_id, status, finished_at, error)
     VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb)
     ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET status = EXCLUDED.status, finished_at = now(), error = EXCLUDED.error
       WHERE NOT EXISTS (SELECT 1 FROM execution_steps f
                          WHERE f.execution_id = EXCLUDED.execution_id AND f.node_id = EXCLUDED.node_id AND f.final)`,
    [key.executionId, key.nodeId, key.attempt, key.organizationId, status, JSON.stringify(error)],
  );
}

/**
 * A compensation attempt: recorded beside the node's own attempts (kind "compensate"); the
 * step's status ("compensated") is the workflow's to write once compensation succeeded.
 */
export async function recordCompensationAttempt(
  db: Queryable,
  key: AttemptKey,
  status: 'running' | 'completed' | 'failed' | 'cancelled',
  error?: Pick<NodeError, 'type' | 'message'>,
): Promise<void> {
  await db.query(
    `INSERT INTO execution_step_attempts (execution_id, node_id, kind, attempt, organization_id, status, started_at, finished_at, error)
     VALUES ($1, $2, 'compensate', $3, $4, $5, CASE WHEN $5 = 'running' THEN now() END, CASE WHEN $5 <> 'running' THEN now() END, $6::jsonb)
     ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET
       status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, error = EXCLUDED.error`,
    [key.executionId, key.nodeId, key.attempt, key.organizationId, status, error ? JSON.stringify(error) : null],
  );
}
