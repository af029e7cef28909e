/**
 * The benchmark graphs as engine documents. The hand-written baselines (bench/baseline-workflows.ts)
 * and the pg-boss executor (bench/pgboss/) run the same shapes.
 */
import { fanOutGraph, layeredGraph } from '../test/helpers/wide-graphs';
import { chainNodeIds, FANOUT_WIDTH, fanoutBranchIds, LOCAL_START_TO_CLOSE } from './shapes';
import { LAYERED_NODES, LAYERED_WIDTH, MAP_CONCURRENCY, MAP_ITEMS, WIDE_WIDTH } from './sizes';

/** n01 -> n02 -> ... of `length` mock nodes, no delay; the output is the input. */
export function chainGraph(length = 10): Record<string, unknown> {
  const ids = chainNodeIds(length);
  return {
    id: length === 10 ? 'bench-chain' : `bench-chain-${length}`,
    version: 1,
    name: `Benchmark: ${length}-node chain of mock nodes`,
    nodes: ids.map((id) => ({ id, type: 'mock', config: {} })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

/** The same chain with every node `"local": true`: local activities (DESIGN §11, fast nodes). */
export function localChainGraph(): Record<string, unknown> {
  const ids = chainNodeIds();
  return {
    id: 'bench-local-chain',
    version: 1,
    name: 'Benchmark: 10-node chain of local mock nodes',
    nodes: ids.map((id) => ({ id, type: 'mock', local: true, timeout: { startToClose: LOCAL_START_TO_CLOSE }, config: {} })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

export function fanoutGraph(): Record<string, unknown> {
  const branches = fanoutBranchIds();
  return {
    id: 'bench-fanout',
    version: 1,
    name: `Benchmark: ${FANOUT_WIDTH}-way fan-out / fan-in of mock nodes`,
    settings: { maxParallelism: FANOUT_WIDTH + 2 },
    nodes: [{ id: 'start', type: 'mock', config: {} }, ...branches.map((id) => ({ id, type: 'mock', config: {} })), { id: 'end', type: 'mock', config: {} }],
    edges: [...branches.map((id) => ({ from: 'start', to: id })), ...branches.map((id) => ({ from: id, to: 'end' }))],
  };
}

/** start (inline) -> WIDE_WIDTH mocks -> join mock, as examples/fanout-1000.json (test/helpers/wide-graphs.ts). */
export function wideGraph(): Record<string, unknown> {
  return { id: 'bench-wide', version: 1, name: `Benchmark: ${WIDE_WIDTH}-wide fan-out of mock nodes`, ...fanOutGraph(WIDE_WIDTH) };
}
/** What wideGraph() outputs for the bench's input (no `base`: 0). */
export const wideExpected = (): Record<string, number> => ({ branches: WIDE_WIDTH, first: 0, last: WIDE_WIDTH - 1 });

/** LAYERED_NODES nodes in layers of LAYERED_WIDTH, mostly inline, a mock at each end of every layer. */
export function layeredBenchGraph(): { graph: Record<string, unknown>; expected: { d: number; reached: number }; activities: number } {
  const { graph, depth, lastLayer } = layeredGraph(LAYERED_NODES, LAYERED_WIDTH);
  return {
    graph: { id: 'bench-layered', version: 1, name: `Benchmark: ${LAYERED_NODES}-node layered graph`, ...graph },
    expected: { d: depth, reached: lastLayer },
    activities: graph.nodes.filter((node) => node.type === 'mock').length,
  };
}

/** A map over `input.items` (MAP_ITEMS numbers), a mock per item returning item * 2, MAP_CONCURRENCY at a time. */
export function mapGraph(): Record<string, unknown> {
  return {
    id: 'bench-map',
    version: 1,
    name: `Benchmark: map of ${MAP_ITEMS} items, ${MAP_CONCURRENCY} at a time`,
    nodes: [{ id: 'each', type: 'map', config: { items: { $expr: 'input.items' }, maxConcurrency: MAP_CONCURRENCY, node: { type: 'mock', config: { output: { $expr: 'item * 2' } } } } }],
    edges: [],
  };
}
export const mapInput = (): { items: number[] } => ({ items: Array.from({ length: MAP_ITEMS }, (_, i) => i) });
export const mapExpected = (): number[] => Array.from({ length: MAP_ITEMS }, (_, i) => i * 2);
