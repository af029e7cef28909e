/**
 * Worker RSS with BENCH_INFLIGHT executions in flight at once.
 *
 * One worker, a child process running the product's own entry (`src/worker.ts` with its
 * defaults, bench/scale-workers.ts) on a task queue of its own. After a warm-up, the driver
 * starts BENCH_INFLIGHT executions of a 3-node chain of `mock` nodes that each wait
 * BENCH_INFLIGHT_DELAY_MS, BENCH_INFLIGHT_START_PARALLEL starts at a time through
 * EngineClient, and waits until the mirror shows them all ended. The worker runs at most
 * the SDK's default 100 activities at once, so most executions wait for an activity slot:
 * they are in flight (cached on the worker, history open) without running anything.
 * Reported: VmRSS when ready, after the warm-up, when the last start returned, the peak
 * (sampled every 200 ms) and after all ended; the time to start them all and for all to end;
 * that they all were in flight at once (the mirror's count of running executions, and none
 * ended before the last start returned); that all completed with the expected output; and,
 * from their histories, workflow tasks that did not go to the worker's sticky queue (a
 * cache miss: an eviction, or a task the worker did not pick up within the sticky timeout).
 *
 * Settings (env): BENCH_INFLIGHT (1000), BENCH_INFLIGHT_DELAY_MS (3000),
 * BENCH_INFLIGHT_START_PARALLEL (50).
 */
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { EngineClient } from '../src/client';
import { createPool } from '../src/store/pool';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { validateGraph } from '../src/workflows/graph/validate';
import { intEnv } from './env';
import { statusKiB } from './proc-stats';
import { ScaleWorkers } from './scale-workers';
import { chainNodeIds } from './shapes';

export const IN_FLIGHT_ENV_KNOBS = ['BENCH_INFLIGHT', 'BENCH_INFLIGHT_DELAY_MS', 'BENCH_INFLIGHT_START_PARALLEL'];
export const IN_FLIGHT_TASK_QUEUE = 'bench-inflight';
const CHAIN = 3;
const WARMUP = 20;
const MIRROR_POLL_MS = 250;
const HISTORY_READERS = 8;
/** The SDK's defaults, which src/worker.ts keeps (@temporalio/worker worker-options.js). */
const SDK_MAX_ACTIVITIES = 100;
const SDK_MAX_WORKFLOW_TASKS = 40;
const TASK_QUEUE_KIND = proto.temporal.api.enums.v1.TaskQueueKind;
const TIMEOUT_TYPE = proto.temporal.api.enums.v1.TimeoutType;

export interface InFlightRssDeps {
  temporal: Client;
  temporalAddress: string;
  databaseUrl: string;
  organizationId: string;
  input: Json;
  guarded<T>(work: Promise<T>): Promise<T>;
  progress: (message: string) => void;
}

export interface InFlightRssResult {
  settings: { executions: number; delayMs: number; startParallel: number; warmup: number; taskQueue: string; chain: number };
  /** The worker's limits: SDK defaults (maxCachedWorkflows computed from the V8 heap limit, as the SDK does). */
  limits: { maxCachedWorkflows: number; maxActivities: number; maxWorkflowTasks: number };
  identity: string;
  /** VmRSS, MiB. */
  rss: { ready: number; afterWarmup: number; allStarted: number; peak: number; afterAllEnded: number; lifetimePeak: number };
  /** (peak - ready) / executions and (peak - after warm-up) / executions, KiB. */
  perExecutionKiB: { fromReady: number; fromWarm: number };
  startSeconds: number;
  /** From the first start until the mirror showed all ended (polled every MIRROR_POLL_MS). */
  allEndedSeconds: number;
  /** The most executions the mirror showed running at once, polled from the last start on: the worker has run their first task, and not their last. */
  maxRunning: number;
  /** Executions that had ended when the last start returned (0: all were in flight at once). */
  endedBeforeLastStart: number;
  /** Temporal's count of running workflows on the queue when the last start returned; undefined if the server could not count. */
  temporalRunningAtLastStart: number | undefined;
  completed: number;
  /** Workflow tasks after each execution's first that were scheduled on the normal queue, not the sticky one. */
  nonStickyTasks: number;
  executionsWithNonStickyTasks: number;
  /** WorkflowTaskTimedOut events: not picked up from the sticky queue in time (schedule-to-start), or not finished in time (start-to-close). */
  workflowTaskTimeouts: { scheduleToStart: number; startToClose: number };
}

function delayedChain(delayMs: number): GraphDocument {
  const ids = chainNodeIds(CHAIN);
  const result = validateGraph({
    id: 'bench-inflight',
    version: 1,
    name: `Benchmark: ${CHAIN}-node chain of mock nodes waiting ${delayMs} ms each`,
    nodes: ids.map((id) => ({ id, type: 'mock', config: { delayMs } })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  });
  if (!result.ok) throw new Error(`in-flight graph is invalid: ${JSON.stringify(result.problems)}`);
  return result.graph;
}

/** What the SDK picks when maxCachedWorkflows is not given (reuseV8Context, its default). */
function defaultMaxCachedWorkflows(): number {
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

async function startAll(engine: EngineClient, deps: InFlightRssDeps, graph: GraphDocument, count: number, parallel: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        next++;
        ids.push((await engine.start({ organizationId: deps.organizationId, graph, input: deps.input })).executionId);
      }
    }),
  );
  return ids;
}

interface MirrorCounts {
  running: number;
  ended: number;
}

async function mirrorCounts(pool: ReturnType<typeof createPool>, ids: string[]): Promise<MirrorCounts> {
  const { rows } = await pool.query<{ running: string; ended: string }>({
    name: 'bench/in-flight-counts',
    text: `SELECT count(*) FILTER (WHERE status = 'running') AS running, count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled', 'timed_out')) AS ended
             FROM executions WHERE id = ANY($1::text[])`,
    values: [ids],
  });
  return { running: Number(rows[0].running), ended: Number(rows[0].ended) };
}

/**
 * Polls the mirror until all `ids` ended: the most running at once and when the last ended.
 * Throws after `timeoutMs`: an execution that never ends must not hold the bench forever.
 */
async function watchUntilAllEnded(pool: ReturnType<typeof createPool>, ids: string[], timeoutMs: number): Promise<{ maxRunning: number; allEndedMs: number }> {
  const deadline = Date.now() + timeoutMs;
  let maxRunning = 0;
  for (;;) {
    const tick = Date.now();
    const counts = await mirrorCounts(pool, ids);
    maxRunning = Math.max(maxRunning, counts.running);
    if (counts.ended >= ids.length) return { maxRunning, allEndedMs: tick };
    if (tick > deadline) throw new Error(`in-flight RSS: after ${timeoutMs / 1000} s, ${counts.ended} of ${ids.length} executions ended (${counts.running} running)`);
    await new Promise((resolve) => setTimeout(resolve, MIRROR_POLL_MS));
  }
}

async function taskQueueFigures(temporal: Client, ids: string[]): Promise<{ nonSticky: number; executions: number; timeouts: InFlightRssResult['workflowTaskTimeouts'] }> {
  let nonSticky = 0;
  let executions = 0;
  const timeouts = { scheduleToStart: 0, startToClose: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: HISTORY_READERS }, async () => {
      while (next < ids.length) {
        const history = await temporal.workflow.getHandle(ids[next++]).fetchHistory();
        // The first task always goes to the normal queue; later ones go to the sticky queue of the worker that caches the workflow.
        const later = (history.events ?? []).filter((e) => e.workflowTaskScheduledEventAttributes).slice(1);
        const normal = later.filter((e) => e.workflowTaskScheduledEventAttributes!.taskQueue?.kind !== TASK_QUEUE_KIND.TASK_QUEUE_KIND_STICKY).length;
        nonSticky += normal;
        if (normal > 0) executions++;
        for (const event of history.events ?? []) {
          const timedOut = event.workflowTaskTimedOutEventAttributes;
          if (timedOut) timeouts[timedOut.timeoutType === TIMEOUT_TYPE.TIMEOUT_TYPE_SCHEDULE_TO_START ? 'scheduleToStart' : 'startToClose']++;
        }
      }
    }),
  );
  return { nonSticky, executions, timeouts };
}

async function temporalRunning(temporal: Client): Promise<number | undefined> {
  try {
    return (await temporal.workflow.count(`TaskQueue = "${IN_FLIGHT_TASK_QUEUE}" AND ExecutionStatus = "Running"`)).count;
  } catch {
    return undefined; // a server without advanced visibility cannot count
  }
}

const mib = (kib: number | undefined): number => (kib ?? NaN) / 1024;

async function measure(deps: InFlightRssDeps, engine: EngineClient, pool: ReturnType<typeof createPool>, workers: ScaleWorkers, settings: InFlightRssResult['settings']): Promise<InFlightRssResult> {
  const graph = delayedChain(settings.delayMs);
  deps.progress(`in-flight RSS: starting a worker process (src/worker.ts on ${settings.taskQueue}) and waiting until it polls`);
  const worker = await workers.add();
  const rssNow = (): number => mib(statusKiB(worker.pid, 'VmRSS'));
  const ready = workers.memory()[0].readyMiB;

  deps.progress(`in-flight RSS: ${settings.warmup} warm-up executions`);
  const warm = await startAll(engine, deps, graph, settings.warmup, settings.warmup);
  await Promise.all(warm.map((id) => engine.waitForEnd(deps.organizationId, id)));
  const afterWarmup = rssNow();

  deps.progress(`in-flight RSS: starting ${settings.executions} executions (${settings.startParallel} starts at a time), ${CHAIN} mocks of ${settings.delayMs} ms each`);
  workers.startSampling();
  const began = Date.now();
  const ids = await Promise.race([startAll(engine, deps, graph, settings.executions, settings.startParallel), workers.died]);
  const lastStartMs = Date.now();
  const allStarted = rssNow();
  const [temporalRunningAtLastStart, atLastStart] = await Promise.all([temporalRunning(deps.temporal), mirrorCounts(pool, ids)]);
  deps.progress(`  all started in ${((lastStartMs - began) / 1000).toFixed(1)} s; mirror: ${atLastStart.running} running, ${atLastStart.ended} ended; Temporal: ${temporalRunningAtLastStart ?? '?'} running; worker RSS ${allStarted.toFixed(0)} MiB`);
  // The activities alone take CHAIN x N x delay / (activities at once); four times that is a stall.
  const expectedMs = (CHAIN * settings.executions * settings.delayMs) / SDK_MAX_ACTIVITIES;
  const watch = await Promise.race([watchUntilAllEnded(pool, ids, 4 * expectedMs + 120_000), workers.died]);
  workers.stopSampling();
  const afterAllEnded = rssNow();
  const memory = workers.memory()[0];

  const { rows } = await pool.query<{ status: string; output: Json }>({ name: 'bench/in-flight-outcomes', text: 'SELECT status, output FROM executions WHERE id = ANY($1::text[])', values: [ids] });
  const completed = rows.filter((r) => r.status === 'completed' && isDeepStrictEqual(r.output, deps.input)).length;
  deps.progress(`in-flight RSS: reading ${ids.length} histories for the workflow tasks' queues`);
  const tasks = await taskQueueFigures(deps.temporal, ids);
  return {
    settings,
    limits: { maxCachedWorkflows: defaultMaxCachedWorkflows(), maxActivities: SDK_MAX_ACTIVITIES, maxWorkflowTasks: SDK_MAX_WORKFLOW_TASKS },
    identity: worker.identity,
    rss: { ready, afterWarmup, allStarted, peak: memory.sampledPeakMiB, afterAllEnded, lifetimePeak: memory.lifetimePeakMiB },
    perExecutionKiB: { fromReady: ((memory.sampledPeakMiB - ready) * 1024) / settings.executions, fromWarm: ((memory.sampledPeakMiB - afterWarmup) * 1024) / settings.executions },
    startSeconds: (lastStartMs - began) / 1000,
    allEndedSeconds: (watch.allEndedMs - began) / 1000,
    maxRunning: watch.maxRunning,
    endedBeforeLastStart: atLastStart.ended,
    temporalRunningAtLastStart,
    completed,
    nonStickyTasks: tasks.nonSticky,
    executionsWithNonStickyTasks: tasks.executions,
    workflowTaskTimeouts: tasks.timeouts,
  };
}

export async function runInFlightRss(deps: InFlightRssDeps): Promise<InFlightRssResult> {
  const settings = {
    executions: intEnv('BENCH_INFLIGHT', 1000),
    delayMs: intEnv('BENCH_INFLIGHT_DELAY_MS', 3000),
    startParallel: intEnv('BENCH_INFLIGHT_START_PARALLEL', 50),
    warmup: WARMUP,
    taskQueue: IN_FLIGHT_TASK_QUEUE,
    chain: CHAIN,
  };
  // The driver's own pool: starts (graph row, workflow start) and the mirror watch.
  const pool = createPool(deps.databaseUrl, 16);
  const engine = new EngineClient({ temporal: deps.temporal, pool, taskQueue: IN_FLIGHT_TASK_QUEUE });
  const workers = new ScaleWorkers({ temporal: deps.temporal, temporalAddress: deps.temporalAddress, databaseUrl: deps.databaseUrl, taskQueue: IN_FLIGHT_TASK_QUEUE });
  try {
    return await deps.guarded(measure(deps, engine, pool, workers, settings));
  } finally {
    // Before the stack stops: the worker drains while Temporal and Postgres are still there.
    deps.progress('in-flight RSS: stopping the worker process (SIGTERM)');
    await workers.stop();
    await pool.end();
  }
}
