/**
 * What the bench compares: three shapes (graphs and their expected output) and the systems
 * running them, and how one execution of a system is prepared (untimed) and run (timed). The
 * local chain (fast nodes) is compared with a hand-written local-activity workflow started
 * eagerly, as the engine's run of it is.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { newExecutionId, type EngineClient } from '../src/client';
import { workflowTags } from '../src/common/workflow-tags';
import { insertRunningExecution } from '../src/store/executions/insert-running-execution';
import type { GraphExecutionArgs, GraphExecutionResult } from '../src/workflows/contracts/execution';
import { GRAPH_WORKFLOW } from '../src/workflows/contracts/names';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { validateGraph } from '../src/workflows/graph/validate';
import type { BaselineArgs } from './baseline-workflows';
import { chainGraph, fanoutGraph, localChainGraph } from './graphs';
import { INPUT, ORG, TASK_QUEUE } from './settings';
import { CHAIN_LENGTH, FANOUT_WIDTH, fanoutBranchIds, LOCAL_START_TO_CLOSE } from './shapes';

export type ShapeName = 'chain' | 'fanout' | 'local-chain';
export type SystemName = 'engine' | 'engine-raw' | 'baseline' | 'baseline-bare' | 'baseline-local-eager';
export const SHAPE_NAMES: readonly ShapeName[] = ['chain', 'fanout', 'local-chain'];

export const SYSTEMS: { name: SystemName; what: string }[] = [
  { name: 'engine', what: 'the engine through its client SDK: EngineClient.start() (validates, stores the graph version, starts) + waitForEnd() (waits, reads the mirror)' },
  { name: 'engine-raw', what: 'the engine workflow started with the plain Temporal client (graph validated once beforehand) + handle.result(): the workflow alone, without the SDK\'s client-side work' },
  { name: 'baseline', what: 'hand-written workflow, same mock activity and options; writes the execution row running/completed with the engine\'s own mirrorFlush local activity, like the engine (the yardstick for the ratios)' },
  { name: 'baseline-bare', what: 'hand-written workflow calling only the mock activities; the driver inserts the execution row before the timer starts (lower bound, no execution-status mirroring)' },
  { name: 'baseline-local-eager', what: 'hand-written workflow calling the mock as local activities (startToClose 10s, the same retry policy), started with eager start through the worker\'s connection; keeps the execution row like `baseline` (the yardstick of the local chain)' },
];

const ORDINARY_SYSTEMS: SystemName[] = ['engine', 'engine-raw', 'baseline', 'baseline-bare'];

/** The systems that run `shape`, in SYSTEMS order. */
export function systemsOf(shape: ShapeSpec): { name: SystemName; what: string }[] {
  return SYSTEMS.filter((system) => shape.systems.includes(system.name));
}

export interface ShapeSpec {
  name: ShapeName;
  graph: GraphDocument;
  baselineWorkflow: 'baselineChain' | 'baselineFanout' | 'baselineLocalChain';
  /** The systems compared on it. */
  systems: SystemName[];
  /** The engine starts it with eager start (through the worker's connection). */
  eagerStart: boolean;
  /** The hand-written system whose histories the replay diagnostics compare with engine-raw's. */
  replayBaseline: SystemName;
  expected: Json;
  activities: number;
  describe: string;
}

export function buildShapes(): ShapeSpec[] {
  const graph = (document: unknown): GraphDocument => {
    const result = validateGraph(document);
    if (!result.ok) throw new Error(`benchmark graph is invalid: ${JSON.stringify(result.problems)}`);
    return result.graph;
  };
  return [
    {
      name: 'chain',
      graph: graph(chainGraph()),
      baselineWorkflow: 'baselineChain',
      systems: ORDINARY_SYSTEMS,
      eagerStart: false,
      replayBaseline: 'baseline',
      expected: INPUT,
      activities: CHAIN_LENGTH,
      describe: `${CHAIN_LENGTH}-node chain of \`mock\` nodes (n01 -> ... -> n${CHAIN_LENGTH}), no delay`,
    },
    {
      name: 'fanout',
      graph: graph(fanoutGraph()),
      baselineWorkflow: 'baselineFanout',
      systems: ORDINARY_SYSTEMS,
      eagerStart: false,
      replayBaseline: 'baseline',
      expected: Object.fromEntries(fanoutBranchIds().map((id) => [id, INPUT])),
      activities: FANOUT_WIDTH + 2,
      describe: `${FANOUT_WIDTH}-way fan-out/fan-in of \`mock\` nodes (start -> b01..b${FANOUT_WIDTH} -> end, join all), maxParallelism ${FANOUT_WIDTH + 2}, no delay`,
    },
    {
      name: 'local-chain',
      graph: graph(localChainGraph()),
      baselineWorkflow: 'baselineLocalChain',
      systems: ['engine', 'engine-raw', 'baseline-local-eager'],
      eagerStart: true,
      replayBaseline: 'baseline-local-eager',
      expected: INPUT,
      activities: CHAIN_LENGTH,
      describe: `the same ${CHAIN_LENGTH}-node chain with every node \`"local": true\` (startToClose ${LOCAL_START_TO_CLOSE}): local activities, and the engine's executions started with eager start`,
    },
  ];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

export interface Bench {
  temporal: Client;
  engine: EngineClient;
  /** A client on the worker's NativeConnection, the only kind eager start works with, and the engine's client on it (eagerStart). */
  eager: { temporal: Client; engine: EngineClient };
  workerPool: pg.Pool;
  clientPool: pg.Pool;
}

/** A prepared execution: untimed setup is done; `run()` is the timed part. */
export interface Job {
  workflowId: string;
  run(): Promise<void>;
}

function checkOutput(shape: ShapeSpec, system: SystemName, output: unknown): void {
  if (canonical(output) !== canonical(shape.expected)) {
    throw new Error(`${system}/${shape.name} returned ${JSON.stringify(output)}, expected ${JSON.stringify(shape.expected)}`);
  }
}

export async function prepare(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<Job> {
  const { temporal } = bench;
  const engine = shape.eagerStart ? bench.eager.engine : bench.engine;
  const common = { taskQueue: TASK_QUEUE, ...workflowTags(ORG, shape.graph) };
  switch (system) {
    case 'engine': {
      let workflowId = '';
      return {
        get workflowId() {
          return workflowId;
        },
        async run() {
          const started = await engine.start({ organizationId: ORG, graph: shape.graph, input: INPUT });
          workflowId = started.executionId;
          const view = await engine.waitForEnd(ORG, started.executionId);
          if (view.status !== 'completed') throw new Error(`engine/${shape.name} ended ${view.status}: ${JSON.stringify(view.error)}`);
          checkOutput(shape, system, view.output);
        },
      };
    }
    case 'engine-raw': {
      const executionId = newExecutionId(shape.graph.id);
      const args: GraphExecutionArgs = { executionId, organizationId: ORG, graph: shape.graph, input: INPUT };
      return {
        workflowId: executionId,
        async run() {
          const client = shape.eagerStart ? bench.eager.temporal : temporal;
          const handle = await client.workflow.start(GRAPH_WORKFLOW, { ...common, workflowId: executionId, args: [args], ...(shape.eagerStart ? { requestEagerStart: true } : {}) });
          const result = (await handle.result()) as GraphExecutionResult;
          if (result.status !== 'completed') throw new Error(`engine-raw/${shape.name} ended ${result.status}`);
          checkOutput(shape, system, result.output);
        },
      };
    }
    case 'baseline':
    case 'baseline-bare':
    case 'baseline-local-eager': {
      const executionId = `bl-${shape.name}-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
      const mirror = system !== 'baseline-bare';
      const eager = system === 'baseline-local-eager';
      if (!mirror) {
        // Untimed setup: the row the mock activity's step writes need (foreign key).
        await insertRunningExecution(bench.clientPool, { executionId, organizationId: ORG, graphId: shape.graph.id, graphVersion: 1, input: INPUT });
      }
      const args: BaselineArgs = { executionId, organizationId: ORG, graphId: shape.graph.id, input: INPUT, mirror };
      return {
        workflowId: executionId,
        async run() {
          const client = eager ? bench.eager.temporal : temporal;
          const handle = await client.workflow.start(shape.baselineWorkflow, { ...common, workflowId: executionId, args: [args], ...(eager ? { requestEagerStart: true } : {}) });
          checkOutput(shape, system, await handle.result());
        },
      };
    }
  }
}
