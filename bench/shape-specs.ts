/**
 * The shapes the bench runs (issue 14: chains of 1, 10 and 50 nodes, the 20-way fan-out, the
 * 1,000-wide fan-out, the 10,000-node layered graph, a map of 1,000 items, the local chain),
 * with the systems compared on each and how many executions each measurement gets.
 */
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { validateGraph } from '../src/workflows/graph/validate';
import type { BaselineLayer } from './baseline-large-workflows';
import { chainGraph, fanoutGraph, layeredBenchGraph, localChainGraph, mapExpected, mapGraph, mapInput, wideExpected, wideGraph } from './graphs';
import { INPUT } from './settings';
import { chainNodeIds, FANOUT_WIDTH, fanoutBranchIds, LOCAL_START_TO_CLOSE } from './shapes';
import { LAYERED_NODES, LAYERED_WIDTH, MAP_CONCURRENCY, MAP_ITEMS, WIDE_WIDTH } from './sizes';

export type ShapeName = 'chain-1' | 'chain' | 'chain-50' | 'fanout' | 'wide' | 'layered' | 'map' | 'local-chain';
export const SHAPE_NAMES: readonly ShapeName[] = ['chain-1', 'chain', 'chain-50', 'fanout', 'wide', 'layered', 'map', 'local-chain'];
export type SystemName = 'engine' | 'engine-raw' | 'baseline' | 'baseline-bare' | 'baseline-local-eager' | 'pgboss';

/**
 * How many executions a shape's measurements get: `full` the bench's settings (BENCH_N, BENCH_TOTAL...),
 * `medium` at most 10 one at a time and 40 under load (the 1- and 50-node chains), `large` a few
 * executions one at a time only (each one is thousands of nodes; BENCH_LARGE_N).
 */
export type MeasurePlan = 'full' | 'medium' | 'large';

type BaselineWorkflow = 'baselineChain' | 'baselineFanout' | 'baselineLocalChain' | 'baselineWide' | 'baselineLayered' | 'baselineMap';

export interface ShapeSpec {
  name: ShapeName;
  graph: GraphDocument;
  input: Json;
  expected: Json;
  baselineWorkflow: BaselineWorkflow;
  /** What the baseline workflow needs beyond BaselineArgs (its node ids, width, layers...). */
  baselineExtra: Record<string, Json | BaselineLayer[]>;
  /** The systems compared on it. */
  systems: SystemName[];
  /** The engine starts it with eager start (through the worker's connection). */
  eagerStart: boolean;
  /** The hand-written system whose histories the replay diagnostics compare with engine-raw's; none for large shapes. */
  replayBaseline?: SystemName;
  plan: MeasurePlan;
  /** Activities per execution (map items included). */
  activities: number;
  /** Nodes per execution, for the per-node figures (a map's items count as nodes). */
  nodes: number;
  describe: string;
}

const ORDINARY_SYSTEMS: SystemName[] = ['engine', 'engine-raw', 'baseline', 'baseline-bare', 'pgboss'];
const COMPARED_SYSTEMS: SystemName[] = ['engine', 'baseline', 'pgboss'];

function validated(document: unknown): GraphDocument {
  const result = validateGraph(document);
  if (!result.ok) throw new Error(`benchmark graph is invalid: ${JSON.stringify(result.problems)}`);
  return result.graph;
}

function chainShape(name: ShapeName, length: number, plan: MeasurePlan, systems: SystemName[]): ShapeSpec {
  return {
    name,
    graph: validated(chainGraph(length)),
    input: INPUT,
    expected: INPUT,
    baselineWorkflow: 'baselineChain',
    baselineExtra: { nodeIds: chainNodeIds(length) },
    systems,
    eagerStart: false,
    replayBaseline: 'baseline',
    plan,
    activities: length,
    nodes: length,
    describe: `${length}-node chain of \`mock\` nodes${length > 1 ? ` (n01 -> ... -> n${String(length).padStart(2, '0')})` : ''}, no delay`,
  };
}

/** The layered graph's layers as the hand-written baseline walks them: every node's depth from `first`. */
function layersOf(graph: GraphDocument): BaselineLayer[] {
  const depth = new Map<string, number>([['first', 0]]);
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  const layers: BaselineLayer[] = [];
  for (const node of graph.nodes) {
    if (node.id === 'first' || node.id === 'last') continue;
    const d = Math.max(...(incoming.get(node.id) ?? []).map((from) => depth.get(from)!)) + 1;
    depth.set(node.id, d);
    const layer = (layers[d - 1] ??= { mocks: [], size: 0, counts: false });
    layer.size += 1;
    if (node.type === 'mock') layer.mocks.push(node.id);
    if (node.type === 'transform' || JSON.stringify(node.config ?? {}).includes('+ 1')) layer.counts = true;
  }
  return layers;
}

export function buildShapes(): ShapeSpec[] {
  const layered = layeredBenchGraph();
  const layeredGraphDocument = validated(layered.graph);
  return [
    chainShape('chain-1', 1, 'medium', COMPARED_SYSTEMS),
    chainShape('chain', 10, 'full', ORDINARY_SYSTEMS),
    chainShape('chain-50', 50, 'medium', COMPARED_SYSTEMS),
    {
      name: 'fanout',
      graph: validated(fanoutGraph()),
      input: INPUT,
      expected: Object.fromEntries(fanoutBranchIds().map((id) => [id, INPUT])),
      baselineWorkflow: 'baselineFanout',
      baselineExtra: {},
      systems: ORDINARY_SYSTEMS,
      eagerStart: false,
      replayBaseline: 'baseline',
      plan: 'full',
      activities: FANOUT_WIDTH + 2,
      nodes: FANOUT_WIDTH + 2,
      describe: `${FANOUT_WIDTH}-way fan-out/fan-in of \`mock\` nodes (start -> b01..b${FANOUT_WIDTH} -> end, join all), maxParallelism ${FANOUT_WIDTH + 2}, no delay`,
    },
    {
      name: 'wide',
      graph: validated(wideGraph()),
      input: {},
      expected: wideExpected(),
      baselineWorkflow: 'baselineWide',
      baselineExtra: { width: WIDE_WIDTH },
      systems: COMPARED_SYSTEMS,
      eagerStart: false,
      plan: 'large',
      activities: WIDE_WIDTH + 1,
      nodes: WIDE_WIDTH + 2,
      describe: `${WIDE_WIDTH}-wide fan-out (an inline \`transform\` start -> ${WIDE_WIDTH} \`mock\` nodes -> a \`mock\` join), maxParallelism ${WIDE_WIDTH}, as examples/fanout-1000.json`,
    },
    {
      name: 'layered',
      graph: layeredGraphDocument,
      input: {},
      expected: layered.expected,
      baselineWorkflow: 'baselineLayered',
      baselineExtra: { layers: layersOf(layeredGraphDocument) },
      systems: COMPARED_SYSTEMS,
      eagerStart: false,
      plan: 'large',
      activities: layered.activities,
      nodes: LAYERED_NODES,
      describe: `${LAYERED_NODES}-node layered graph in layers of ${LAYERED_WIDTH}: inline \`noop\`/\`transform\` nodes with a \`mock\` at each end of every layer (${layered.activities} activities), test/helpers/wide-graphs.ts`,
    },
    {
      name: 'map',
      graph: validated(mapGraph()),
      input: mapInput(),
      expected: mapExpected(),
      baselineWorkflow: 'baselineMap',
      baselineExtra: { maxConcurrency: MAP_CONCURRENCY },
      systems: COMPARED_SYSTEMS,
      eagerStart: false,
      plan: 'large',
      activities: MAP_ITEMS,
      nodes: MAP_ITEMS + 1,
      describe: `a \`map\` over ${MAP_ITEMS} numbers, a \`mock\` per item (item * 2), maxConcurrency ${MAP_CONCURRENCY}`,
    },
    {
      ...chainShape('local-chain', 10, 'full', ['engine', 'engine-raw', 'baseline-local-eager']),
      graph: validated(localChainGraph()),
      baselineWorkflow: 'baselineLocalChain',
      eagerStart: true,
      replayBaseline: 'baseline-local-eager',
      describe: `the 10-node chain with every node \`"local": true\` (startToClose ${LOCAL_START_TO_CLOSE}): local activities, and the engine's executions started with eager start`,
    },
  ];
}
