import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';

/** An attempt starts: its row, and the step shown running (unless the workflow already decided it). */
export async function recordAttemptStarted(db: Queryable, key: AttemptKey): Promise<void> {
  await db.query({
    name: 'mirror/record-attempt-started',
    text: `WITH attempt AS (
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
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, key.nodeType],
  });
}
