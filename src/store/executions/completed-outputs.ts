import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** Outputs of the steps an execution completed (not compensated), in completion order: the seed of a resume. */
export async function completedOutputs(db: Queryable, organizationId: string, executionId: string): Promise<{ nodeId: string; output: Json }[]> {
  const found = await db.query<{ node_id: string; output: Json }>({
    text: `SELECT node_id, output FROM execution_steps
      WHERE execution_id = $1 AND organization_id = $2 AND status = 'completed'
      ORDER BY finished_at NULLS LAST, node_id`,
    values: [executionId, organizationId],
  });
  return found.rows.map((row) => ({ nodeId: row.node_id, output: row.output }));
}
