/**
 * A graph compiled for the BFS executor: each node's predecessors and successors, the start
 * nodes and sinks. Compiled once per document object (1,000 executions of one graph share it),
 * after the engine's own validation and this executor's refusals.
 */
import { collectExpressions } from '../../src/workflows/graph/expressions';
import { nodeTypeSpec, type NodeTypeSpec } from '../../src/workflows/graph/node-types';
import type { GraphDocument, GraphNode } from '../../src/workflows/graph/types';
import { validateGraph } from '../../src/workflows/graph/validate';
import { UnsupportedGraphError } from './errors';
import { unsupportedFeatures } from './unsupported';

export interface PlannedNode {
  node: GraphNode;
  /** Position in the document, for the JSON paths of expression errors. */
  index: number;
  spec: NodeTypeSpec;
  /** Whether its config holds expressions at all (one without is used as written). */
  templated: boolean;
  predecessors: string[];
  successors: string[];
}

export interface Plan {
  graph: GraphDocument;
  nodes: Map<string, PlannedNode>;
  /** Nodes without incoming edges: they get the execution input. */
  starts: string[];
  /** Nodes without outgoing edges, in document order: the execution's output is theirs. */
  sinks: string[];
  /** Nodes with several inputs: the only ones that need a counter of inputs still awaited. */
  joins: { nodeId: string; inputs: number }[];
}

const plans = new WeakMap<object, Plan>();

export function planFor(document: unknown): Plan {
  if (document && typeof document === 'object' && plans.has(document)) return plans.get(document)!;
  const validated = validateGraph(document);
  if (!validated.ok) {
    const id = (document as { id?: unknown } | null)?.id;
    throw new UnsupportedGraphError(String(id ?? '?'), validated.problems.map((problem) => `${problem.path}: ${problem.message}`));
  }
  const graph = validated.graph;
  const problems = unsupportedFeatures(graph);
  if (problems.length > 0) throw new UnsupportedGraphError(graph.id, problems);
  const plan = compile(graph);
  plans.set(document as object, plan);
  return plan;
}

function compile(graph: GraphDocument): Plan {
  const nodes = new Map<string, PlannedNode>();
  graph.nodes.forEach((node, index) => {
    const spec = nodeTypeSpec(node.type)!;
    nodes.set(node.id, { node, index, spec, templated: collectExpressions(node.config, '$').length > 0, predecessors: [], successors: [] });
  });
  for (const edge of graph.edges) {
    nodes.get(edge.from)!.successors.push(edge.to);
    nodes.get(edge.to)!.predecessors.push(edge.from);
  }
  const all = [...nodes.values()];
  return {
    graph,
    nodes,
    starts: all.filter((planned) => planned.predecessors.length === 0).map((planned) => planned.node.id),
    sinks: all.filter((planned) => planned.successors.length === 0).map((planned) => planned.node.id),
    joins: all.filter((planned) => planned.predecessors.length > 1).map((planned) => ({ nodeId: planned.node.id, inputs: planned.predecessors.length })),
  };
}
