import type { NodeError } from '../../workflows/graph/types';
import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';
import { LOST_ATTEMPT } from './reconcile-attempts';

/**
 * A compensation attempt: recorded beside the node's own attempts (kind "compensate"); the
 * step's status ("compensated") is the workflow's to write once compensation succeeded.
 *
 * Temporal starts attempt N only once attempt N-1 failed or timed out, so when attempt N
 * starts, an earlier attempt still shown running, or completed (it finished, but its worker
 * died before Temporal heard of it), is recorded as failed (AttemptLost). A late write of an
 * earlier attempt (one that ran on after its timeout) never overwrites it again.
 */
export async function recordCompensationAttempt(
  db: Queryable,
  key: AttemptKey,
  status: 'running' | 'completed' | 'failed' | 'cancelled',
  error?: Pick<NodeError, 'type' | 'message'>,
): Promise<void> {
  await db.query({
    name: 'mirror/record-compensation-attempt',
    text: `WITH superseded AS (
       UPDATE execution_step_attempts SET status = 'failed', finished_at = coalesce(finished_at, now()), error = $7::jsonb
        WHERE $5 = 'running' AND execution_id = $1 AND node_id = $2 AND kind = 'compensate' AND attempt < $3 AND status IN ('running', 'completed')
     )
     INSERT INTO execution_step_attempts AS a (execution_id, node_id, kind, attempt, organization_id, status, started_at, finished_at, error)
     VALUES ($1, $2, 'compensate', $3, $4, $5, CASE WHEN $5 = 'running' THEN now() END, CASE WHEN $5 <> 'running' THEN now() END, $6::jsonb)
     ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET
       status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, error = EXCLUDED.error
     WHERE NOT EXISTS (SELECT 1 FROM execution_step_attempts later
                        WHERE later.execution_id = a.execution_id AND later.node_id = a.node_id AND later.kind = 'compensate' AND later.attempt > a.attempt)`,
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, status, error ? JSON.stringify(error) : null, JSON.stringify(LOST_ATTEMPT)],
  });
}
