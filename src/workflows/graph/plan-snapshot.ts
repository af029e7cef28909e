/**
 * The plan's state in the compact form a continued run carries (DESIGN §11: the carried
 * state stays bounded). One character per node and per edge, plus only what a later run
 * reads: outputs still to be read, failures, and the completion order of nodes that may be
 * compensated. A 10,000-node graph's state was about 2 MB as objects, over the 2 MiB payload
 * limit once the graph itself rides along; compact it is some tens of kB. Runs continued by
 * older code carried the object form (PlanSnapshot), which `expandSnapshot` still reads.
 */
import type { EdgeState, NodeState, PlanSnapshot } from './plan-types';
import type { GraphDocument, Json, NodeError } from './types';

export interface CompactPlanSnapshot {
  format: 2;
  /** Each node's status in document order, one character of STATUS_CODES each. */
  statuses: string;
  /** Each edge's state in document order, one character of EDGE_CODES each. */
  edges: string;
  /** Outputs of completed nodes that may still be read (the others are carried as null). */
  outputs: Record<string, Json>;
  /** Completed nodes whose output was reused from a dead letter's original. */
  reused: string[];
  failures: Record<string, { error: NodeError; handled: boolean }>;
  /** What taken edges carry to a target that has not started, by edge index. */
  edgeValues: Record<string, Json>;
  /** Completed nodes that declare `compensate`, in completion order (the only ones it orders). */
  completionOrder: string[];
}

const STATUS_CODES: Record<NodeState['status'], string> = {
  pending: 'p',
  running: 'r',
  completed: 'c',
  failed: 'f',
  skipped: 's',
  cancelled: 'x',
  compensated: 'k',
};
const EDGE_CODES: Record<EdgeState, string> = { undecided: 'u', taken: 't', skipped: 's' };

const invert = <T extends string>(codes: Record<T, string>): Map<string, T> => new Map(Object.entries(codes).map(([key, code]) => [code as string, key as T]));
const STATUS_OF = invert(STATUS_CODES);
const EDGE_STATE_OF = invert(EDGE_CODES);

type Graph = Pick<GraphDocument, 'nodes' | 'edges'>;

export function compactSnapshot(graph: Graph, snapshot: PlanSnapshot): CompactPlanSnapshot {
  const outputs: Record<string, Json> = {};
  const reused: string[] = [];
  const failures: CompactPlanSnapshot['failures'] = {};
  let statuses = '';
  for (const node of graph.nodes) {
    const state: NodeState = snapshot.nodes[node.id] ?? { status: 'pending' };
    statuses += STATUS_CODES[state.status];
    if (state.status === 'completed' || state.status === 'compensated') {
      if (state.output !== null) outputs[node.id] = state.output;
      if (state.status === 'completed' && state.reused) reused.push(node.id);
    }
    if (state.status === 'failed') failures[node.id] = { error: state.error, handled: state.handled };
  }
  const edgeValues: Record<string, Json> = {};
  let edges = '';
  snapshot.edges.forEach((edge, index) => {
    edges += EDGE_CODES[edge.state];
    if (edge.value !== undefined) edgeValues[index] = edge.value;
  });
  const compensable = new Set(graph.nodes.filter((node) => node.compensate !== undefined).map((node) => node.id));
  return { format: 2, statuses, edges, outputs, reused, failures, edgeValues, completionOrder: snapshot.completionOrder.filter((id) => compensable.has(id)) };
}

/** The object form of a carried snapshot, compact or as older runs carried it. */
export function expandSnapshot(graph: Graph, carried: CompactPlanSnapshot | PlanSnapshot): PlanSnapshot {
  if (!('format' in carried)) return carried;
  if (carried.statuses.length !== graph.nodes.length || carried.edges.length !== (graph.edges ?? []).length) {
    throw new Error(`carried plan has ${carried.statuses.length} nodes and ${carried.edges.length} edges, the graph ${graph.nodes.length} and ${(graph.edges ?? []).length}`);
  }
  const nodes: Record<string, NodeState> = {};
  const reused = new Set(carried.reused);
  graph.nodes.forEach((node, index) => {
    const status = STATUS_OF.get(carried.statuses[index]);
    if (!status) throw new Error(`carried plan has an unknown status code "${carried.statuses[index]}" for node "${node.id}"`);
    nodes[node.id] = stateOf(node.id, status, carried, reused);
  });
  const edges = [...carried.edges].map((code, index) => {
    const state = EDGE_STATE_OF.get(code);
    if (!state) throw new Error(`carried plan has an unknown edge code "${code}" at edge ${index}`);
    return index in carried.edgeValues ? { state, value: carried.edgeValues[index] } : { state };
  });
  return { nodes, edges, completionOrder: [...carried.completionOrder] };
}

function stateOf(id: string, status: NodeState['status'], carried: CompactPlanSnapshot, reused: ReadonlySet<string>): NodeState {
  switch (status) {
    case 'completed':
      return reused.has(id) ? { status, output: carried.outputs[id] ?? null, reused: true } : { status, output: carried.outputs[id] ?? null };
    case 'compensated':
      return { status, output: carried.outputs[id] ?? null };
    case 'failed': {
      const failure = carried.failures[id];
      if (!failure) throw new Error(`carried plan has node "${id}" failed without its error`);
      return { status, error: failure.error, handled: failure.handled };
    }
    default:
      return { status } as NodeState;
  }
}
