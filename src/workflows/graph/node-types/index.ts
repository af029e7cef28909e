/**
 * The node types the engine knows (DESIGN §5), in one typed registry. A new type is one file
 * here (schema, where it runs, workflow-side behaviour) plus, for an activity type, its
 * implementation in src/activities/nodes/ registered in that folder's index: a type listed
 * here as an activity without an implementation there does not compile.
 */
import type { z } from 'zod';
import type { NodeRuntime, NodeTypeSpec } from './common';
import { delay } from './delay';
import { http } from './http';
import { knowledgeIngest } from './knowledge-ingest';
import { knowledgeRetrieve } from './knowledge-retrieve';
import { map } from './map';
import { mock } from './mock';
import { noop } from './noop';
import { notify } from './notify';
import { subgraph } from './subgraph';
import { transform } from './transform';
import { wait } from './wait';

export type { ActivityNodeType, ChildNodeType, InlineNodeType, MapNodeType, NodeRuntime, NodeTypeSpec, SignalNodeType, TimerNodeType } from './common';

export const NODE_TYPES = { noop, transform, mock, delay, wait, http, notify, subgraph, map, 'knowledge.ingest': knowledgeIngest, 'knowledge.retrieve': knowledgeRetrieve } as const satisfies Record<string, NodeTypeSpec>;

export type NodeTypeName = keyof typeof NODE_TYPES;

/** The types that run as an activity: each needs an implementation in src/activities/nodes/. */
export type ActivityNodeTypeName = { [K in NodeTypeName]: (typeof NODE_TYPES)[K]['runtime'] extends 'activity' ? K : never }[NodeTypeName];

/** A type's config as its implementation receives it: expressions evaluated, schema checked. */
export type RenderedConfig<K extends NodeTypeName> = z.infer<(typeof NODE_TYPES)[K]['renderedSchema']>;

export function nodeTypeSpec(type: string): NodeTypeSpec | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_TYPES, type) ? (NODE_TYPES as Record<string, NodeTypeSpec>)[type] : undefined;
}

export function runtimeOf(type: string): NodeRuntime {
  return nodeTypeSpec(type)?.runtime ?? 'inline';
}

/** Types a node's `compensate` may name: activities that declare themselves compensable. */
export function compensableTypes(): string[] {
  return Object.entries(NODE_TYPES as Record<string, NodeTypeSpec>)
    .filter(([, spec]) => spec.runtime === 'activity' && spec.compensable)
    .map(([name]) => name);
}

/** The graphs a document's `subgraph` nodes name (for version pinning and recursion checks). */
export function subgraphReferences(graph: { nodes: readonly { id: string; type: string; config?: unknown }[] }): { nodeId: string; graphId: string; version?: number }[] {
  return graph.nodes.flatMap((node) => {
    const spec = nodeTypeSpec(node.type);
    // A map's item node may be a subgraph too: its graph is pinned like any other.
    const item = spec?.runtime === 'map' ? ((node.config ?? {}) as { node?: { type?: string; config?: unknown } }).node : undefined;
    const runs = spec?.runtime === 'child' ? { type: node.type, config: node.config } : item;
    if (!runs || typeof runs.type !== 'string' || nodeTypeSpec(runs.type)?.runtime !== 'child') return [];
    const config = (runs.config ?? {}) as { graphId: string; version?: number };
    return [{ nodeId: node.id, graphId: config.graphId, version: config.version }];
  });
}

/** Types that run as one activity (what a map's item node may be). */
export function activityTypes(): string[] {
  return Object.entries(NODE_TYPES as Record<string, NodeTypeSpec>)
    .filter(([, spec]) => spec.runtime === 'activity')
    .map(([name]) => name);
}
