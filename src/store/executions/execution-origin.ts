import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** An execution's graph reference and input (what a retry of it starts from). */
export async function executionOrigin(db: Queryable, organizationId: string, executionId: string): Promise<{ graphId: string; graphVersion: number; input: Json } | undefined> {
  const found = await db.query<{ graph_id: string; graph_version: number; input: Json }>({
    text: 'SELECT graph_id, graph_version, input FROM executions WHERE id = $1 AND organization_id = $2',
    values: [executionId, organizationId],
  });
  const row = found.rows[0];
  return row ? { graphId: row.graph_id, graphVersion: row.graph_version, input: row.input } : undefined;
}
