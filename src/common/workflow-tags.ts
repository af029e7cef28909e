/**
 * How every workflow we start is findable: its search attributes (organization, graph,
 * version; DESIGN §8) and the one-line summary the Web UI shows. One helper, used by the
 * client, the workflows (dead letters, children) and the bench, so they never drift apart.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** Search attribute names registered on the Temporal namespace. */
export const SEARCH_ATTRIBUTES = {
  organizationId: 'OrganizationId',
  graphId: 'GraphId',
  graphVersion: 'GraphVersion',
} as const;

/** Typed keys of the search attributes every execution carries. */
export const searchAttributeKeys = {
  organizationId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.organizationId, SearchAttributeType.KEYWORD),
  graphId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphId, SearchAttributeType.KEYWORD),
  graphVersion: defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphVersion, SearchAttributeType.INT),
};

export interface TaggedGraph {
  id: string;
  version: number;
  name?: string;
}

/** Search attributes and summary of a workflow that belongs to `graph` in `organizationId`. */
export function workflowTags(organizationId: string, graph: TaggedGraph, summary?: string): { typedSearchAttributes: SearchAttributePair[]; staticSummary: string } {
  return {
    typedSearchAttributes: [
      { key: searchAttributeKeys.organizationId, value: organizationId },
      { key: searchAttributeKeys.graphId, value: graph.id },
      { key: searchAttributeKeys.graphVersion, value: graph.version },
    ],
    staticSummary: summary ?? `${graph.id} v${graph.version}${graph.name ? `: ${graph.name}` : ''}`,
  };
}
