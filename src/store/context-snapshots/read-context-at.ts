import type { Queryable } from '../query';
import type { ContextNode } from './context-view';

/**
 * The nodes of an execution's context at `sequence`: the fold of snapshots 1..sequence, done
 * by Postgres (each node as the latest snapshot up to there that decided it), by node id.
 */
export async function readContextAt(db: Queryable, organizationId: string, executionId: string, sequence: number): Promise<Record<string, ContextNode>> {
  const found = await db.query<{ node_id: string; node: ContextNode }>({
    name: 'context-snapshots/read-at',
    text: `SELECT DISTINCT ON (d.key) d.key AS node_id, d.value AS node
       FROM execution_context_snapshots s CROSS JOIN LATERAL jsonb_each(s.decided) AS d
      WHERE s.execution_id = $1 AND s.organization_id = $2 AND s.sequence <= $3
      ORDER BY d.key, s.sequence DESC`,
    values: [executionId, organizationId, sequence],
  });
  return Object.fromEntries(found.rows.map((row) => [row.node_id, row.node]));
}
