/**
 * What this executor refuses. It is the benchmark's BFS comparison, so it runs what the
 * benchmark shapes use (mock, map of mocks, transform, noop, plain success edges) and names
 * every node or edge that asks for more, rather than running it with other semantics.
 */
import { collectExpressions } from '../../src/workflows/graph/expressions';
import { nodesReadBy } from '../../src/workflows/graph/nodes-lookup';
import type { GraphDocument, GraphNode } from '../../src/workflows/graph/types';

const SUPPORTED_TYPES = new Set(['mock', 'map', 'transform', 'noop']);
/** Node fields whose behaviour (Temporal retries, timeouts, compensation, local activities) this executor lacks. */
const NODE_FEATURES = ['retry', 'timeout', 'compensate', 'local'] as const;
const SETTINGS_FEATURES = ['deadline', 'concurrency', 'output'] as const;

export function unsupportedFeatures(graph: GraphDocument): string[] {
  const problems: string[] = [];
  for (const key of SETTINGS_FEATURES) if (graph.settings?.[key] !== undefined) problems.push(`settings.${key} is not supported`);
  graph.nodes.forEach((node) => problems.push(...nodeProblems(node)));
  for (const edge of graph.edges) {
    if (edge.on !== undefined && edge.on !== 'success') problems.push(`edge "${edge.from}" -> "${edge.to}": on "${edge.on}" (error edges) is not supported`);
    if (edge.when !== undefined) problems.push(`edge "${edge.from}" -> "${edge.to}": conditions ("when") are not supported`);
  }
  return problems;
}

function nodeProblems(node: GraphNode): string[] {
  const at = `node "${node.id}"`;
  if (!SUPPORTED_TYPES.has(node.type)) return [`${at}: type "${node.type}" is not supported (only ${[...SUPPORTED_TYPES].join(', ')})`];
  const problems: string[] = [];
  for (const key of NODE_FEATURES) if (node[key] !== undefined) problems.push(`${at}: "${key}" is not supported`);
  if (node.join === 'any') problems.push(`${at}: join "any" is not supported`);
  const config = (node.config ?? {}) as Record<string, unknown>;
  if (node.type === 'mock' && config.failAttempts !== undefined) problems.push(`${at}: mock "failAttempts" (retries) is not supported`);
  if (node.type === 'map') {
    const item = config.node as Record<string, unknown> | undefined;
    if (config.onItemFailure === 'continue') problems.push(`${at}: onItemFailure "continue" is not supported`);
    if (item?.type !== 'mock') problems.push(`${at}: its item node must be a mock`);
    for (const key of ['retry', 'timeout'] as const) if (item?.[key] !== undefined) problems.push(`${at}: item node "${key}" is not supported`);
    if ((item?.config as Record<string, unknown> | undefined)?.failAttempts !== undefined) problems.push(`${at}: item mock "failAttempts" (retries) is not supported`);
  }
  // Outputs of other nodes reach a node only through its edges here: no `nodes` map is kept.
  for (const { expression } of collectExpressions(node.config, '$')) {
    const read = nodesReadBy(expression);
    if (read === 'all' || read.size > 0) problems.push(`${at}: expression ${JSON.stringify(expression)} reads the "nodes" variable, which is not supported`);
  }
  return problems;
}
