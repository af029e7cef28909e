import { createHash } from 'node:crypto';
import type { Queryable } from '../db/query';
import type { GraphDocument } from '../workflows/graph/types';
import { GraphVersionConflictError, NotFoundError } from './errors';

/** Key-sorted JSON, so the same document always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function graphHash(graph: GraphDocument): string {
  return createHash('sha256').update(canonicalJson(graph)).digest('hex');
}

/**
 * Stores a validated graph version. (organization, id, version) is immutable: the same
 * content again is reused, different content under a stored version is refused.
 */
export async function storeGraph(db: Queryable, organizationId: string, graph: GraphDocument): Promise<'created' | 'existing'> {
  const hash = graphHash(graph);
  const inserted = await db.query(
    `INSERT INTO graphs (organization_id, id, version, name, definition, hash)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (organization_id, id, version) DO NOTHING`,
    [organizationId, graph.id, graph.version, graph.name ?? null, JSON.stringify(graph), hash],
  );
  if (inserted.rowCount === 1) return 'created';
  const existing = await db.query<{ hash: string }>('SELECT hash FROM graphs WHERE organization_id = $1 AND id = $2 AND version = $3', [organizationId, graph.id, graph.version]);
  if (existing.rows[0]?.hash === hash) return 'existing';
  throw new GraphVersionConflictError(graph.id, graph.version);
}

export async function loadGraph(db: Queryable, organizationId: string, graphId: string, version?: number): Promise<GraphDocument> {
  const found = await db.query<{ definition: GraphDocument }>(
    version === undefined
      ? 'SELECT definition FROM graphs WHERE organization_id = $1 AND id = $2 ORDER BY version DESC LIMIT 1'
      : 'SELECT definition FROM graphs WHERE organization_id = $1 AND id = $2 AND version = $3',
    version === undefined ? [organizationId, graphId] : [organizationId, graphId, version],
  );
  if (!found.rows[0]) throw new NotFoundError('graph', version === undefined ? graphId : `${graphId}@${version}`);
  return found.rows[0].definition;
}
