import type { GraphDocument } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/**
 * Stores a validated graph version under its content hash. (organization, id, version) is
 * immutable: the same content again is `existing`, different content under a stored version
 * is a `conflict` (nothing written either way).
 */
export async function insertGraphVersion(db: Queryable, organizationId: string, graph: GraphDocument, hash: string): Promise<'created' | 'existing' | 'conflict'> {
  const inserted = await db.query({
    name: 'graphs/insert-graph-version',
    text: `INSERT INTO graphs (organization_id, id, version, name, definition, hash)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (organization_id, id, version) DO NOTHING`,
    values: [organizationId, graph.id, graph.version, graph.name ?? null, JSON.stringify(graph), hash],
  });
  if (inserted.rowCount === 1) return 'created';
  const existing = await db.query<{ hash: string }>({
    name: 'graphs/graph-version-hash',
    text: 'SELECT hash FROM graphs WHERE organization_id = $1 AND id = $2 AND version = $3',
    values: [organizationId, graph.id, graph.version],
  });
  return existing.rows[0]?.hash === hash ? 'existing' : 'conflict';
}
