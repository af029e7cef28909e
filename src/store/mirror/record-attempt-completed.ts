import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';

/**
 * An attempt succeeded: the attempt closes and the step completes with its output, in one
 * statement. False when the step was not written (the workflow had already given its final
 * word, e.g. in an earlier run before a reset): the workflow then writes it itself.
 */
export async function recordAttemptCompleted(db: Queryable, key: AttemptKey, output: Json): Promise<boolean> {
  const written = await db.query({
    name: 'mirror/record-attempt-completed',
    text: `WITH attempt AS (
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
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, key.nodeType, JSON.stringify(output)],
  });
  return (written.rowCount ?? 0) > 0;
}
