/**
 * Scale-out: the engine's throughput with 1 and then 2 worker processes, on the bench's running
 * stack after the other measurements, or alone with BENCH_SCALE_ONLY=1.
 *
 * The workers are child processes running `src/worker.ts` (bench/scale-workers.ts) on a task
 * queue of their own, so the bench's in-process worker does none of this work. The driver is
 * the engine's client SDK (EngineClient.start + waitForEnd) on that queue. Per configuration:
 * ~2 x C warm-up executions, then T executions of the 10-node `mock` chain with C in flight;
 * executions per second, p50/p99 of one execution's wall time under that load, the machine's
 * and each worker's CPU during the run, each worker's RSS, and the share of workflow and
 * activity tasks each worker ran (the `identity` of the WorkflowTaskStarted and
 * ActivityTaskStarted events in the measured executions' histories).
 *
 * Settings (env): BENCH_SCALE_CONCURRENCY (16 in flight), BENCH_SCALE_TOTAL (160 executions per
 * configuration).
 */
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import { EngineClient } from '../src/client';
import { createPool } from '../src/store/pool';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { intEnv } from './env';
import { machineCpuTicks } from './proc-stats';
import { ScaleWorkers } from './scale-workers';
import { median, percentile } from './stats';

export const SCALE_ENV_KNOBS = ['BENCH_SCALE_CONCURRENCY', 'BENCH_SCALE_TOTAL', 'BENCH_SCALE_ONLY'];
export const SCALE_TASK_QUEUE = 'bench-scale';
const WORKER_COUNTS = [1, 2];
const HISTORY_READERS = 8;

export interface ScaleOutDeps {
  temporal: Client;
  temporalAddress: string;
  databaseUrl: string;
  organizationId: string;
  /** The 10-node mock chain, its input and the output every execution must return. */
  graph: GraphDocument;
  input: Json;
  expected: Json;
  /** The stack's guard: rejects when the bench is interrupted. */
  guarded<T>(work: Promise<T>): Promise<T>;
  progress: (message: string) => void;
}

export interface ScaleWorkerFigures {
  identity: string;
  /** VmRSS when it first polled (started, workflow code bundled, nothing run yet), MiB. */
  readyMiB: number;
  /** Highest VmRSS sampled during this configuration's warm-up and measured run, MiB. */
  sampledPeakMiB: number;
  /** VmHWM at the end of this configuration: its peak since it started (bundling included), MiB. */
  lifetimePeakMiB: number;
  /** CPU time it used during the measured run, as a percentage of one core over the run's wall time. */
  cpuPercent: number;
  activityTasks: number;
  workflowTasks: number;
}

export interface ScaleRow {
  workers: number;
  executions: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The whole machine's CPU busy during the measured run, % of all its cores (everything on it, not only the bench). */
  machineBusyPercent: number;
  /** Measured executions whose workflow and activity tasks did not all run on one worker. */
  splitExecutions: number;
  perWorker: ScaleWorkerFigures[];
}

export interface ScaleOutResults {
  settings: { concurrency: number; total: number; warmup: number; taskQueue: string };
  rows: ScaleRow[];
  /** os.loadavg() when the measurements ended (1, 5, 15 minutes): how busy the shared machine was. */
  loadAverage: number[];
}

/** `count` executions, `concurrency` in flight, each checked; wall time of each and of all. */
async function load(deps: ScaleOutDeps, engine: EngineClient, count: number, concurrency: number): Promise<{ seconds: number; latencies: number[]; ids: string[] }> {
  const latencies: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const { executionId } = await engine.start({ organizationId: deps.organizationId, graph: deps.graph, input: deps.input });
        const view = await engine.waitForEnd(deps.organizationId, executionId);
        latencies.push(performance.now() - t0);
        ids.push(executionId);
        if (view.status !== 'completed') throw new Error(`scale-out: ${executionId} ended ${view.status}: ${JSON.stringify(view.error)}`);
        if (!isDeepStrictEqual(view.output, deps.expected)) throw new Error(`scale-out: ${executionId} returned ${JSON.stringify(view.output)}, expected ${JSON.stringify(deps.expected)}`);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies, ids };
}

/** Workflow and activity tasks per worker identity, from the histories of `ids`. */
async function taskShares(temporal: Client, ids: string[]): Promise<{ activity: Map<string, number>; workflow: Map<string, number>; split: number }> {
  const activity = new Map<string, number>();
  const workflow = new Map<string, number>();
  let split = 0;
  const add = (counts: Map<string, number>, identity: string | null | undefined): void => void counts.set(identity ?? '', (counts.get(identity ?? '') ?? 0) + 1);
  let next = 0;
  await Promise.all(
    Array.from({ length: HISTORY_READERS }, async () => {
      while (next < ids.length) {
        const history = await temporal.workflow.getHandle(ids[next++]).fetchHistory();
        const seen = new Set<string>();
        for (const event of history.events ?? []) {
          const identity = event.activityTaskStartedEventAttributes?.identity ?? event.workflowTaskStartedEventAttributes?.identity;
          if (event.activityTaskStartedEventAttributes) add(activity, identity);
          if (event.workflowTaskStartedEventAttributes) add(workflow, identity);
          if (identity) seen.add(identity);
        }
        if (seen.size > 1) split++;
      }
    }),
  );
  return { activity, workflow, split };
}

async function measure(deps: ScaleOutDeps, engine: EngineClient, workers: ScaleWorkers, settings: ScaleOutResults['settings']): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const count of WORKER_COUNTS) {
    while (workers.identities.length < count) {
      deps.progress(`scale-out: starting worker process ${workers.identities.length + 1} (src/worker.ts on ${settings.taskQueue}) and waiting until it polls`);
      const began = performance.now();
      const worker = await workers.add();
      deps.progress(`  ${worker.identity} polling after ${((performance.now() - began) / 1000).toFixed(1)} s`);
    }
    workers.startSampling();
    deps.progress(`scale-out: ${count} worker(s): ${settings.warmup} warm-up, then ${settings.total} executions at ${settings.concurrency} in flight`);
    await Promise.race([load(deps, engine, settings.warmup, settings.concurrency), workers.died]);
    const cpuBefore = { workers: workers.cpuNanoseconds(), machine: machineCpuTicks() };
    const run = await Promise.race([load(deps, engine, settings.total, settings.concurrency), workers.died]);
    const cpuAfter = { workers: workers.cpuNanoseconds(), machine: machineCpuTicks() };
    workers.stopSampling();
    const memory = workers.memory();
    const shares = await taskShares(deps.temporal, run.ids);
    const unknown = [...shares.activity.keys(), ...shares.workflow.keys()].filter((identity) => !workers.identities.includes(identity));
    if (unknown.length > 0) throw new Error(`scale-out: tasks ran on workers other than the child processes: ${[...new Set(unknown)].join(', ')}`);
    const row: ScaleRow = {
      workers: count,
      executions: settings.total,
      seconds: run.seconds,
      perSecond: settings.total / run.seconds,
      p50: median(run.latencies),
      p99: percentile(run.latencies, 99),
      machineBusyPercent: cpuBefore.machine && cpuAfter.machine ? (100 * (cpuAfter.machine.busy - cpuBefore.machine.busy)) / (cpuAfter.machine.total - cpuBefore.machine.total) : NaN,
      splitExecutions: shares.split,
      perWorker: workers.identities.map((identity, i) => ({
        identity,
        ...memory[i],
        cpuPercent: (100 * (cpuAfter.workers[i] - cpuBefore.workers[i])) / (run.seconds * 1e9),
        activityTasks: shares.activity.get(identity) ?? 0,
        workflowTasks: shares.workflow.get(identity) ?? 0,
      })),
    };
    rows.push(row);
    deps.progress(
      `  ${row.perSecond.toFixed(1)} exec/s, p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms, machine CPU ${row.machineBusyPercent.toFixed(0)}% busy; per worker: ${row.perWorker.map((w) => `${w.sampledPeakMiB.toFixed(0)} MiB, ${w.cpuPercent.toFixed(0)}% of a core, ${w.activityTasks} activity tasks`).join('; ')}`,
    );
  }
  return rows;
}

export async function runScaleOut(deps: ScaleOutDeps): Promise<ScaleOutResults> {
  const concurrency = intEnv('BENCH_SCALE_CONCURRENCY', 16);
  const settings = { concurrency, total: intEnv('BENCH_SCALE_TOTAL', 160), warmup: 2 * concurrency, taskQueue: SCALE_TASK_QUEUE };
  // The driver's own pool, a connection per execution in flight (up to 16): the client side must not be the bottleneck.
  const pool = createPool(deps.databaseUrl, Math.min(concurrency, 16));
  const engine = new EngineClient({ temporal: deps.temporal, pool, taskQueue: SCALE_TASK_QUEUE });
  const workers = new ScaleWorkers({ temporal: deps.temporal, temporalAddress: deps.temporalAddress, databaseUrl: deps.databaseUrl, taskQueue: SCALE_TASK_QUEUE });
  try {
    const rows = await deps.guarded(measure(deps, engine, workers, settings));
    return { settings, rows, loadAverage: os.loadavg() };
  } finally {
    // Before the stack stops: the workers drain while Temporal and Postgres are still there.
    deps.progress('scale-out: stopping the worker processes (SIGTERM)');
    await workers.stop();
    await pool.end();
  }
}
