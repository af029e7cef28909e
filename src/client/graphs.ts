/** Graph documents: validated, stored as immutable versions, loaded back. */
import { createHash } from 'node:crypto';
import { insertGraphVersion } from '../store/graphs/insert-graph-version';
import { selectGraph } from '../store/graphs/select-graph';
import { organizationExists } from '../store/organizations/organization-exists';
import type { Queryable } from '../store/query';
import { MAX_GRAPH_VERSION } from '../workflows/graph/schema';
import type { GraphDocument } from '../workflows/graph/types';
import { validateGraph } from '../workflows/graph/validate';
import type { ClientMemory } from './client-memory';
import { GraphVersionConflictError, InvalidRequestError, NotFoundError } from './errors';
import { withPostgres } from './unavailable';

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

/** Validates a document; throws InvalidRequestError listing every problem. */
export function validateDocument(document: unknown): GraphDocument {
  const result = validateGraph(document);
  if (!result.ok) throw new InvalidRequestError(`graph is invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'})`, result.problems);
  return result.graph;
}

/**
 * Validates and stores a graph version of an existing organization. (organization, id,
 * version) is immutable: the same content again is reused, different content is refused.
 * A version this client stored (or found stored) before is not asked for again: neither
 * organizations nor graph versions are ever deleted, so what was stored stays stored.
 */
export async function storeGraph(db: Queryable, organizationId: string, document: unknown, memory?: ClientMemory): Promise<{ graph: GraphDocument; stored: 'created' | 'existing' }> {
  const graph = validateDocument(document);
  const hash = graphHash(graph);
  if (memory?.isStored(organizationId, graph.id, graph.version, hash)) return { graph, stored: 'existing' };
  if (!(await withPostgres(() => organizationExists(db, organizationId)))) throw new NotFoundError('organization', organizationId);
  const stored = await withPostgres(() => insertGraphVersion(db, organizationId, graph, hash));
  if (stored === 'conflict') throw new GraphVersionConflictError(graph.id, graph.version);
  memory?.rememberStored(organizationId, graph.id, graph.version, hash);
  return { graph, stored };
}

/** A stored graph version (the latest when `version` is omitted); NotFoundError when absent. */
export async function loadGraph(db: Queryable, organizationId: string, graphId: string, version?: number): Promise<GraphDocument> {
  // Out of the stored range, the query itself would fail (a 500 once): no such version can exist.
  if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= MAX_GRAPH_VERSION)) {
    throw new InvalidRequestError('graph version is invalid', [{ path: '$.version', message: `must be an integer from 1 to ${MAX_GRAPH_VERSION}` }]);
  }
  const graph = await withPostgres(() => selectGraph(db, organizationId, graphId, version));
  if (!graph) throw new NotFoundError('graph', version === undefined ? graphId : `${graphId}@${version}`);
  return graph;
}
