/**
 * What a `subgraph` node needs from the graph store, as the parent workflow's local
 * activities: the versions to pin when the parent starts, and the pinned version's document
 * when the node runs (the child workflow receives it in its arguments, like any execution).
 */
import { latestVersions } from '../store/graphs/latest-versions';
import { selectGraph } from '../store/graphs/select-graph';
import type { GraphDocument } from '../workflows/graph/types';
import type { ActivityDeps } from './deps';

export function subgraphActivities(deps: ActivityDeps) {
  return {
    /** Graph id → its latest version now; graphs with no stored version are left out. */
    resolveSubgraphVersions: (organizationId: string, graphIds: string[]): Promise<Record<string, number>> => latestVersions(deps.pool, organizationId, graphIds),
    /** The stored document, or null when the organization has no such version. */
    loadSubgraph: async (organizationId: string, graphId: string, version: number): Promise<GraphDocument | null> => (await selectGraph(deps.pool, organizationId, graphId, version)) ?? null,
  };
}
