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
import { CURRENT_INTERPRETER, type GraphExecutionArgs, type GraphExecutionResult } from '../src/workflows/contracts/execution';
import { GRAPH_WORKFLOW } from '../src/workflows/contracts/names';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import type { BaselineArgs } from './baseline-workflows';
import { ORG, SYSTEM_NAMES, TASK_QUEUE } from './settings';
import type { ShapeSpec, SystemName } from './shape-specs';

export { buildShapes, SHAPE_NAMES, type ShapeName, type ShapeSpec, type SystemName } from './shape-specs';

export const SYSTEMS: { name: SystemName; what: string }[] = [
  { name: 'engine', what: 'the engine through its client SDK: EngineClient.start() (validates, stores the graph version, starts) + waitForEnd() (waits, reads the mirror)' },
  { name: 'engine-raw', what: 'the engine workflow started with the plain Temporal client (graph validated once beforehand) + handle.result(): the workflow alone, without the SDK\'s client-side work' },
  { name: 'baseline', what: 'hand-written workflow, same mock activity and options; writes the execution row running/completed with the engine\'s own mirrorFlush local activity, like the engine (the yardstick for the ratios)' },
  { name: 'baseline-bare', what: 'hand-written workflow calling only the mock activities; the driver inserts the execution row before the timer starts (lower bound, no execution-status mirroring)' },
  { name: 'baseline-local-eager', what: 'hand-written workflow calling the mock as local activities (startToClose 10s, the same retry policy), started with eager start through the worker\'s connection; keeps the execution row like `baseline` (the yardstick of the local chain)' },
  { name: 'pgboss', what: 'a breadth-first graph executor on pg-boss in the style of seed 004 (bench/pgboss/): a job per activity node, a node\'s job sent when all its inputs are in, workers woken on send; same Postgres, no Temporal' },
];

/** The systems that run `shape`, in SYSTEMS order (only those BENCH_SYSTEMS names, when set). */
export function systemsOf(shape: ShapeSpec): { name: SystemName; what: string }[] {
  return SYSTEMS.filter((system) => shape.systems.includes(system.name) && (SYSTEM_NAMES.length === 0 || SYSTEM_NAMES.includes(system.name)));
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
  /** The pg-boss executor (bench/pgboss/), on its own pool (counted as the worker's). */
  pgboss: PgBossSystem;
}

/** What the bench needs of the pg-boss executor: run one execution to its end. */
export interface PgBossSystem {
  run(graph: GraphDocument, input: Json): Promise<{ executionId: string; output: Json }>;
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

/** A job whose id is known only once it ran (the system picks it): `body` runs it and returns the id. */
function jobNamedByItsRun(body: () => Promise<string>): Job {
  let workflowId = '';
  return {
    get workflowId() {
      return workflowId;
    },
    async run() {
      workflowId = await body();
    },
  };
}

export async function prepare(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<Job> {
  const { temporal } = bench;
  const engine = shape.eagerStart ? bench.eager.engine : bench.engine;
  const common = { taskQueue: TASK_QUEUE, ...workflowTags(ORG, shape.graph) };
  switch (system) {
    case 'engine':
      return jobNamedByItsRun(async () => {
        const started = await engine.start({ organizationId: ORG, graph: shape.graph, input: shape.input });
        const view = await engine.waitForEnd(ORG, started.executionId);
        if (view.status !== 'completed') throw new Error(`engine/${shape.name} ended ${view.status}: ${JSON.stringify(view.error)}`);
        checkOutput(shape, system, view.output);
        return started.executionId;
      });
    case 'engine-raw': {
      const executionId = newExecutionId(shape.graph.id);
      const args: GraphExecutionArgs = { executionId, organizationId: ORG, graph: shape.graph, input: shape.input, ...CURRENT_INTERPRETER };
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
        await insertRunningExecution(bench.clientPool, { executionId, organizationId: ORG, graphId: shape.graph.id, graphVersion: 1, input: shape.input });
      }
      const args: BaselineArgs & Record<string, unknown> = { executionId, organizationId: ORG, graphId: shape.graph.id, input: shape.input, mirror, ...shape.baselineExtra };
      return {
        workflowId: executionId,
        async run() {
          const client = eager ? bench.eager.temporal : temporal;
          const handle = await client.workflow.start(shape.baselineWorkflow, { ...common, workflowId: executionId, args: [args], ...(eager ? { requestEagerStart: true } : {}) });
          checkOutput(shape, system, await handle.result());
        },
      };
    }
    case 'pgboss':
      return jobNamedByItsRun(async () => {
        const { executionId, output } = await bench.pgboss.run(shape.graph, shape.input);
        checkOutput(shape, system, output);
        return executionId;
      });
  }
}
