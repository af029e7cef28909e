import type { NodeError } from '../../workflows/graph/types';
import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';

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
  await db.query({
    name: 'mirror/record-compensation-attempt',
    text: `INSERT INTO execution_step_attempts (execution_id, node_id, kind, attempt, organization_id, status, started_at, finished_at, error)
     VALUES ($1, $2, 'compensate', $3, $4, $5, CASE WHEN $5 = 'running' THEN now() END, CASE WHEN $5 <> 'running' THEN now() END, $6::jsonb)
     ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET
       status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, error = EXCLUDED.error`,
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, status, error ? JSON.stringify(error) : null],
  });
}
