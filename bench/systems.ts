/**
 * What the bench compares: two shapes (graphs and their expected output) and four systems
 * running them, and how one execution of a system is prepared (untimed) and run (timed).
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
import { chainGraph, fanoutGraph } from './graphs';
import { INPUT, ORG, TASK_QUEUE } from './settings';
import { CHAIN_LENGTH, FANOUT_WIDTH, fanoutBranchIds } from './shapes';

export type ShapeName = 'chain' | 'fanout';
export type SystemName = 'engine' | 'engine-raw' | 'baseline' | 'baseline-bare';

export const SYSTEMS: { name: SystemName; what: string }[] = [
  { name: 'engine', what: 'the engine through its client SDK: EngineClient.start() (validates, stores the graph version, starts) + waitForEnd() (waits, reads the mirror)' },
  { name: 'engine-raw', what: 'the engine workflow started with the plain Temporal client (graph validated once beforehand) + handle.result(): the workflow alone, without the SDK\'s client-side work' },
  { name: 'baseline', what: 'hand-written workflow, same mock activity and options; writes the execution row running/completed with the engine\'s own mirrorFlush local activity, like the engine (the yardstick for the ratios)' },
  { name: 'baseline-bare', what: 'hand-written workflow calling only the mock activities; the driver inserts the execution row before the timer starts (lower bound, no execution-status mirroring)' },
];

export interface ShapeSpec {
  name: ShapeName;
  graph: GraphDocument;
  baselineWorkflow: 'baselineChain' | 'baselineFanout';
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
      expected: INPUT,
      activities: CHAIN_LENGTH,
      describe: `${CHAIN_LENGTH}-node chain of \`mock\` nodes (n01 -> ... -> n${CHAIN_LENGTH}), no delay`,
    },
    {
      name: 'fanout',
      graph: graph(fanoutGraph()),
      baselineWorkflow: 'baselineFanout',
      expected: Object.fromEntries(fanoutBranchIds().map((id) => [id, INPUT])),
      activities: FANOUT_WIDTH + 2,
      describe: `${FANOUT_WIDTH}-way fan-out/fan-in of \`mock\` nodes (start -> b01..b${FANOUT_WIDTH} -> end, join all), maxParallelism ${FANOUT_WIDTH + 2}, no delay`,
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
  const { temporal, engine } = bench;
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
          const handle = await temporal.workflow.start(GRAPH_WORKFLOW, { ...common, workflowId: executionId, args: [args] });
          const result = (await handle.result()) as GraphExecutionResult;
          if (result.status !== 'completed') throw new Error(`engine-raw/${shape.name} ended ${result.status}`);
          checkOutput(shape, system, result.output);
        },
      };
    }
    case 'baseline':
    case 'baseline-bare': {
      const executionId = `bl-${shape.name}-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
      const mirror = system === 'baseline';
      if (!mirror) {
        // Untimed setup: the row the mock activity's step writes need (foreign key).
        await insertRunningExecution(bench.clientPool, { executionId, organizationId: ORG, graphId: shape.graph.id, graphVersion: 1, input: INPUT });
      }
      const args: BaselineArgs = { executionId, organizationId: ORG, graphId: shape.graph.id, input: INPUT, mirror };
      return {
        workflowId: executionId,
        async run() {
          const handle = await temporal.workflow.start(shape.baselineWorkflow, { ...common, workflowId: executionId, args: [args] });
          checkOutput(shape, system, await handle.result());
        },
      };
    }
  }
}
