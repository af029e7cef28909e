import type { NodeError } from '../../workflows/graph/types';
import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';

/** An attempt failed; whether the step failed for good is the workflow's to say (retries). */
export async function recordAttemptFailed(db: Queryable, key: AttemptKey, error: Pick<NodeError, 'type' | 'message'>, status: 'failed' | 'cancelled' = 'failed'): Promise<void> {
  await db.query({
    name: 'mirror/record-attempt-failed',
    text: `INSERT INTO execution_step_attempts (execution_id, node_id, attempt, organization_id, status, finished_at, error)
     VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb)
     ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET status = EXCLUDED.status, finished_at = now(), error = EXCLUDED.error
       WHERE NOT EXISTS (SELECT 1 FROM execution_steps f
                          WHERE f.execution_id = EXCLUDED.execution_id AND f.node_id = EXCLUDED.node_id AND f.final)`,
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, status, JSON.stringify(error)],
  });
}
