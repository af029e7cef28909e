/**
 * `npm run bench`: the engine against hand-written Temporal workflows doing the same work.
 *
 * One process, one run: a Temporal CLI dev server and an embedded PostgreSQL on free
 * 127.0.0.1 ports (temporary directories, removed at the end), migrations, one worker whose
 * bundle holds the engine's `graphExecution` and the baseline (bench/workflows.ts). Two
 * shapes (a 10-node chain, a 20-way fan-out/fan-in of `mock` nodes without delay), four
 * systems, two measurements each: one execution at a time (median, p95) and throughput with
 * BENCH_CONCURRENCY executions in flight. Results go to stdout and BENCHMARKS.md.
 *
 * Settings (env): BENCH_N (30), BENCH_WARMUP (5), BENCH_TOTAL (80), BENCH_CONCURRENCY (8),
 * BENCH_ROUNDS (4: BENCH_TOTAL is split into this many rounds, every other one in reverse
 * system order), BENCH_PRELOAD (1: bundle with preloadModules zod and cel-js), BENCH_OUT
 * (BENCHMARKS.md; "-" for none), BENCH_STOCK_DEV_SERVER (1: keep the dev server's default
 * history-queue throttle, see bench/dev-server.ts). Then per-key concurrency slots
 * (bench/concurrency.ts); BENCH_CONCURRENCY_ONLY=1 runs only those and prints them (BENCHMARKS.md untouched).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type HistoryAndWorkflowId } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap as WorkflowBundle } from '@temporalio/worker';
import pg from 'pg';
import { EngineClient, newExecutionId } from '../src/client/engine-client';
import type { Logger } from '../src/common/logger';
import { workflowTags } from '../src/common/workflow-tags';
import { migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/stack/postgres';
import type { DevServer } from '../src/stack/temporal-server';
import { createEngineWorker } from '../src/worker';
import { type GraphExecutionArgs, type GraphExecutionResult } from '../src/workflows/contracts/execution';
import { GRAPH_WORKFLOW } from '../src/workflows/contracts/names';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { validateGraph } from '../src/workflows/graph/validate';
import { freePort } from '../test/helpers/free-port';
import type { BaselineArgs } from './baseline-workflows';
import { CONCURRENCY_ENV_KNOBS, concurrencyMarkdown, concurrencyTable, runConcurrencyBench, type ConcurrencyResults } from './concurrency';
import { BENCH_DYNAMIC_CONFIG, startBenchDevServer } from './dev-server';
import { chainGraph, fanoutGraph } from './graphs';
import { CHAIN_LENGTH, FANOUT_WIDTH, fanoutBranchIds } from './shapes';
import { intEnv } from './env';

// ---------------------------------------------------------------- settings


const N = intEnv('BENCH_N', 30);
const WARMUP = intEnv('BENCH_WARMUP', 5, 0);
const TOTAL = intEnv('BENCH_TOTAL', 80);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8);
const ROUNDS = intEnv('BENCH_ROUNDS', 4);
const PER_ROUND = Math.ceil(TOTAL / ROUNDS);
const PRELOAD = ['1', 'true', 'yes'].includes((process.env.BENCH_PRELOAD ?? '').toLowerCase());
/** With BENCH_PRELOAD=1: libraries initialized once per worker thread instead of once per execution. */
const PRELOAD_MODULES = ['zod', '@marcbachmann/cel-js'];
const CONCURRENCY_ONLY = ['1', 'true', 'yes'].includes((process.env.BENCH_CONCURRENCY_ONLY ?? '').toLowerCase());
const STOCK_DEV_SERVER = ['1', 'true', 'yes'].includes((process.env.BENCH_STOCK_DEV_SERVER ?? '').toLowerCase());
const DIAGNOSTIC_RUNS = 3;
const REPLAY_HISTORIES = 10;
const REPLAY_ROUNDS = 3;
const OUT = process.env.BENCH_OUT ?? fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const WORKFLOWS_ENTRY = fileURLToPath(new URL('./workflows.ts', import.meta.url));
const BASELINE_ONLY_ENTRY = fileURLToPath(new URL('./baseline-workflows.ts', import.meta.url));
const TASK_QUEUE = 'wf-bench';
const ORG = 'default';
const INPUT: Json = { n: 1, note: 'benchmark' };

type ShapeName = 'chain' | 'fanout';
type SystemName = 'engine' | 'engine-raw' | 'baseline' | 'baseline-bare';

const SYSTEMS: { name: SystemName; what: string }[] = [
  { name: 'engine', what: 'the engine through its client SDK: EngineClient.start() (validates, stores the graph version, starts) + waitForEnd() (waits, reads the mirror)' },
  { name: 'engine-raw', what: 'the engine workflow started with the plain Temporal client (graph validated once beforehand) + handle.result(): the workflow alone, without the SDK\'s client-side work' },
  { name: 'baseline', what: 'hand-written workflow, same mock activity and options; writes the execution row running/completed with the engine\'s own mirrorFlush local activity, like the engine (the yardstick for the ratios)' },
  { name: 'baseline-bare', what: 'hand-written workflow calling only the mock activities; the driver inserts the execution row before the timer starts (lower bound, no execution-status mirroring)' },
];

interface ShapeSpec {
  name: ShapeName;
  graph: GraphDocument;
  baselineWorkflow: 'baselineChain' | 'baselineFanout';
  expected: Json;
  activities: number;
  describe: string;
}

function buildShapes(): ShapeSpec[] {
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

// ---------------------------------------------------------------- statistics

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const fmt = (value: number, digits = 1): string => value.toFixed(digits);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------- the bench

interface Bench {
  temporal: Client;
  engine: EngineClient;
  workerPool: pg.Pool;
  clientPool: pg.Pool;
}

/** A prepared execution: untimed setup is done; `run()` is the timed part. */
interface Job {
  workflowId: string;
  run(): Promise<void>;
}

function checkOutput(shape: ShapeSpec, system: SystemName, output: unknown): void {
  if (canonical(output) !== canonical(shape.expected)) {
    throw new Error(`${system}/${shape.name} returned ${JSON.stringify(output)}, expected ${JSON.stringify(shape.expected)}`);
  }
}

async function prepare(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<Job> {
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
        await bench.clientPool.query(
          `INSERT INTO executions (id, organization_id, graph_id, graph_version, status, input, workflow_id, started_at)
           VALUES ($1, $2, $3, 1, 'running', $4::jsonb, $1, now())`,
          [executionId, ORG, shape.graph.id, JSON.stringify(INPUT)],
        );
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

async function timeOne(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<{ ms: number; workflowId: string }> {
  const job = await prepare(bench, shape, system);
  const start = performance.now();
  await job.run();
  return { ms: performance.now() - start, workflowId: job.workflowId };
}

interface Sequential {
  samples: number[];
  median: number;
  p95: number;
  workflowIds: string[];
}

/** One at a time, the systems interleaved (rotating order) so that drift hits all alike. */
async function runSequential(bench: Bench, shape: ShapeSpec): Promise<Map<SystemName, Sequential>> {
  const samples = new Map<SystemName, number[]>(SYSTEMS.map((s) => [s.name, []]));
  const ids = new Map<SystemName, string[]>(SYSTEMS.map((s) => [s.name, []]));
  for (let i = 0; i < WARMUP + N; i++) {
    for (let k = 0; k < SYSTEMS.length; k++) {
      const system = SYSTEMS[(i + k) % SYSTEMS.length].name;
      const { ms, workflowId } = await timeOne(bench, shape, system);
      if (i >= WARMUP) samples.get(system)!.push(ms);
      ids.get(system)!.push(workflowId);
    }
  }
  return new Map(
    SYSTEMS.map(({ name }) => {
      const values = samples.get(name)!;
      return [name, { samples: values, median: median(values), p95: percentile(values, 95), workflowIds: ids.get(name)! }];
    }),
  );
}

interface Throughput {
  perSecond: number;
  seconds: number;
  latencyMedian: number;
}

/** PER_ROUND executions, CONCURRENCY in flight; untimed setup for all of them first. */
async function runThroughputOnce(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<{ seconds: number; latencies: number[] }> {
  const jobs: Job[] = [];
  for (let i = 0; i < PER_ROUND; i++) jobs.push(await prepare(bench, shape, system));
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, PER_ROUND) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const t0 = performance.now();
        await job.run();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies };
}

async function runThroughput(bench: Bench, shape: ShapeSpec): Promise<Map<SystemName, Throughput>> {
  const seconds = new Map<SystemName, number>(SYSTEMS.map((s) => [s.name, 0]));
  const latencies = new Map<SystemName, number[]>(SYSTEMS.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse();
    for (const { name } of order) {
      const result = await runThroughputOnce(bench, shape, name);
      seconds.set(name, seconds.get(name)! + result.seconds);
      latencies.get(name)!.push(...result.latencies);
      progress(`  throughput ${shape.name}/${name} round ${round + 1}: ${fmt(PER_ROUND / result.seconds)} exec/s`);
    }
  }
  return new Map(
    SYSTEMS.map(({ name }) => [name, { perSecond: (PER_ROUND * ROUNDS) / seconds.get(name)!, seconds: seconds.get(name)!, latencyMedian: median(latencies.get(name)!) }]),
  );
}

// ---------------------------------------------------------------- diagnostics

/** Counts SQL statements (BEGIN/COMMIT included) per pool while enabled. */
class QueryCounter {
  private readonly roles = new WeakMap<object, 'worker' | 'client'>();
  enabled = false;
  counts = { worker: 0, client: 0 };

  install(pools: { worker: pg.Pool; client: pg.Pool }): void {
    pools.worker.on('connect', (client) => this.roles.set(client, 'worker'));
    pools.client.on('connect', (client) => this.roles.set(client, 'client'));
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const counter = this;
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const role = counter.roles.get(this);
      if (counter.enabled && role) counter.counts[role]++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  }

  reset(): void {
    this.counts = { worker: 0, client: 0 };
  }
}

interface HistoryStats {
  events: number;
  workflowTasks: number;
  workflowTaskMs: number;
  activitiesScheduled: number;
  localActivityMarkers: number;
  historyBytes: number;
}

const toMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

async function historyStats(temporal: Client, workflowId: string): Promise<HistoryStats> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const startedAt = new Map<number, number>();
  const stats: HistoryStats = { events: events.length, workflowTasks: 0, workflowTaskMs: 0, activitiesScheduled: 0, localActivityMarkers: 0, historyBytes: JSON.stringify(history).length };
  for (const event of events) {
    const id = Number(event.eventId);
    if (event.workflowTaskStartedEventAttributes) startedAt.set(id, toMs(event.eventTime));
    if (event.workflowTaskCompletedEventAttributes) {
      stats.workflowTasks++;
      const started = startedAt.get(Number(event.workflowTaskCompletedEventAttributes.startedEventId));
      if (started !== undefined) stats.workflowTaskMs += toMs(event.eventTime) - started;
    }
    if (event.activityTaskScheduledEventAttributes) stats.activitiesScheduled++;
    if (event.markerRecordedEventAttributes) stats.localActivityMarkers++;
  }
  return stats;
}

interface Diagnostic {
  history: HistoryStats;
  workerQueries: number;
  clientQueries: number;
}

/** A few more executions, one at a time, with the SQL counter on; their histories averaged. */
async function diagnose(bench: Bench, counter: QueryCounter, shape: ShapeSpec, system: SystemName): Promise<Diagnostic> {
  const ids: string[] = [];
  counter.reset();
  for (let i = 0; i < DIAGNOSTIC_RUNS; i++) {
    const job = await prepare(bench, shape, system);
    counter.enabled = true;
    await job.run();
    counter.enabled = false;
    ids.push(job.workflowId);
  }
  const { worker, client } = counter.counts;
  const all = await Promise.all(ids.map((id) => historyStats(bench.temporal, id)));
  const mean = (pick: (h: HistoryStats) => number): number => all.reduce((sum, h) => sum + pick(h), 0) / all.length;
  const history: HistoryStats = {
    events: mean((h) => h.events),
    workflowTasks: mean((h) => h.workflowTasks),
    workflowTaskMs: mean((h) => h.workflowTaskMs),
    activitiesScheduled: mean((h) => h.activitiesScheduled),
    localActivityMarkers: mean((h) => h.localActivityMarkers),
    historyBytes: mean((h) => h.historyBytes),
  };
  return { history, workerQueries: worker / DIAGNOSTIC_RUNS, clientQueries: client / DIAGNOSTIC_RUNS };
}

/**
 * Workflow-code cost without the server: replay recorded histories (offline, one replay
 * worker per call) and take the median time between consecutive results, which is the
 * worker-side CPU of one execution's workflow tasks (activation, sandbox, workflow code).
 */
async function replayCost(bundle: WorkflowBundle, histories: HistoryAndWorkflowId[]): Promise<number> {
  const intervals: number[] = [];
  for (let round = 0; round < REPLAY_ROUNDS; round++) {
    let previous: number | undefined;
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'bench' }, histories)) {
      if (result.error) throw result.error;
      const now = performance.now();
      if (previous !== undefined) intervals.push(now - previous);
      previous = now;
    }
  }
  return median(intervals);
}

interface ReplayCosts {
  engine: number;
  baseline: number;
  /** The baseline replayed from a bundle of the baseline alone (no engine modules to initialize). */
  baselineOwnBundle: number;
}

async function measureReplay(bench: Bench, shape: ShapeSpec, sequential: Map<SystemName, Sequential>, bundles: { combined: WorkflowBundle; baselineOnly: WorkflowBundle }): Promise<ReplayCosts> {
  const histories = async (system: SystemName): Promise<HistoryAndWorkflowId[]> =>
    Promise.all(sequential.get(system)!.workflowIds.slice(-REPLAY_HISTORIES).map(async (workflowId) => ({ workflowId, history: await bench.temporal.workflow.getHandle(workflowId).fetchHistory() })));
  const engine = await histories('engine-raw');
  const baseline = await histories('baseline');
  return {
    engine: await replayCost(bundles.combined, engine),
    baseline: await replayCost(bundles.combined, baseline),
    baselineOwnBundle: await replayCost(bundles.baselineOnly, baseline),
  };
}

// ---------------------------------------------------------------- report

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function machine(temporalCli: string, postgresVersion: string): Record<string, string> {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    cpu = os.cpus()[0]?.model ?? 'unknown';
  }
  return {
    nproc: String(os.availableParallelism()),
    CPU: cpu,
    memory: `${fmt(os.totalmem() / 2 ** 30)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    'Temporal CLI': temporalCli,
    PostgreSQL: postgresVersion,
  };
}

interface Results {
  shapes: ShapeSpec[];
  sequential: Map<ShapeName, Map<SystemName, Sequential>>;
  throughput: Map<ShapeName, Map<SystemName, Throughput>>;
  diagnostics: Map<ShapeName, Map<SystemName, Diagnostic>>;
  replay: Map<ShapeName, ReplayCosts>;
  concurrency: ConcurrencyResults;
  machine: Record<string, string>;
  totalSeconds: number;
}

function resultsTable(results: Results): string {
  const lines = [
    `| shape | system | median ms (1 at a time) | p95 ms | throughput exec/s (${CONCURRENCY} in flight) | median ms under load |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    for (const { name } of SYSTEMS) {
      const seq = results.sequential.get(shape.name)!.get(name)!;
      const thr = results.throughput.get(shape.name)!.get(name)!;
      lines.push(`| ${shape.name} | ${name} | ${fmt(seq.median)} | ${fmt(seq.p95)} | ${fmt(thr.perSecond)} | ${fmt(thr.latencyMedian)} |`);
    }
  }
  return lines.join('\n');
}

function ratiosTable(results: Results): string {
  const lines = [
    '| shape | comparison | time ratio (median) | time ratio (p95) | throughput ratio (baseline / engine) |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  const pairs: [SystemName, SystemName][] = [
    ['engine', 'baseline'],
    ['engine-raw', 'baseline'],
    ['engine', 'baseline-bare'],
    ['engine-raw', 'baseline-bare'],
  ];
  for (const shape of results.shapes) {
    const seq = results.sequential.get(shape.name)!;
    const thr = results.throughput.get(shape.name)!;
    for (const [engine, baseline] of pairs) {
      const a = seq.get(engine)!;
      const b = seq.get(baseline)!;
      const bold = engine === 'engine' && baseline === 'baseline' ? '**' : '';
      lines.push(
        `| ${shape.name} | ${bold}${engine} / ${baseline}${bold} | ${bold}${fmt(a.median / b.median, 2)}x${bold} | ${fmt(a.p95 / b.p95, 2)}x | ${bold}${fmt(thr.get(baseline)!.perSecond / thr.get(engine)!.perSecond, 2)}x${bold} |`,
      );
    }
  }
  return lines.join('\n');
}

function diagnosticsTable(results: Results): string {
  const lines = [
    '| shape | system | history events | workflow tasks | workflow-task time ms | activities | local-activity markers | SQL statements in worker | SQL statements in client |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    for (const { name } of SYSTEMS) {
      const d = results.diagnostics.get(shape.name)!.get(name)!;
      const h = d.history;
      lines.push(`| ${shape.name} | ${name} | ${fmt(h.events)} | ${fmt(h.workflowTasks)} | ${fmt(h.workflowTaskMs)} | ${fmt(h.activitiesScheduled)} | ${fmt(h.localActivityMarkers)} | ${fmt(d.workerQueries)} | ${fmt(d.clientQueries)} |`);
    }
  }
  return lines.join('\n');
}

const ENV_KNOBS = ['BENCH_N', 'BENCH_WARMUP', 'BENCH_TOTAL', 'BENCH_CONCURRENCY', 'BENCH_ROUNDS', 'BENCH_PRELOAD', 'BENCH_STOCK_DEV_SERVER', 'BENCH_CONCURRENCY_ONLY', ...CONCURRENCY_ENV_KNOBS];

function commandLine(): string {
  const set = ENV_KNOBS.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return [...set, 'npm run bench'].join(' ');
}

function devServerNote(): string {
  if (STOCK_DEV_SERVER) {
    return `stock (BENCH_STOCK_DEV_SERVER=1). The dev server has one history shard whose transfer queue is read at
most 20 times a second (\`history.transferProcessorMaxPollRPS\`), so at steady state every workflow-task and
activity dispatch waits ~50 ms for it, for all systems alike; these numbers measure that throttle more than the engine.`;
  }
  return `${Object.entries(BENCH_DYNAMIC_CONFIG).map(([k, v]) => `\`${k}=${v}\``).join(', ')}. The dev server has one
history shard, and by default reads its transfer queue at most 20 times a second: at steady state every
workflow-task dispatch (and every activity dispatch that is not eager) then waits ~50 ms for the next read,
whatever the worker does, so a 10-step chain spends most of its ~550 ms in that wait, for the engine and the
baseline alike. Production clusters spread workflows over many shards with a budget each, so the bench lifts
the limit to measure the workflows (\`BENCH_STOCK_DEV_SERVER=1\` keeps the stock settings; bench/dev-server.ts).`;
}

function replayTable(results: Results): string {
  const lines = [
    '| shape | engine ms | baseline ms | engine / baseline | baseline, own bundle ms |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    const r = results.replay.get(shape.name)!;
    lines.push(`| ${shape.name} | ${fmt(r.engine)} | ${fmt(r.baseline)} | ${fmt(r.engine / r.baseline, 2)}x | ${fmt(r.baselineOwnBundle)} |`);
  }
  return lines.join('\n');
}

function markdown(results: Results): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return `# Benchmarks

How much the engine costs on top of Temporal itself: the same work run as a workflow graph
through the engine, and as hand-written Temporal workflows calling the same activity.
Target: the engine within 1.2x of the hand-written baseline.

Reproduce with \`npm run bench\` (one process: starts a Temporal CLI dev server with an
in-memory SQLite store and an embedded PostgreSQL on free ports, migrates, runs one worker
with the engine's \`graphExecution\` and the baseline in one bundle, measures, stops
everything). Knobs (environment): \`BENCH_N\`, \`BENCH_WARMUP\`, \`BENCH_TOTAL\`,
\`BENCH_CONCURRENCY\`, \`BENCH_ROUNDS\`, \`BENCH_PRELOAD\`, \`BENCH_STOCK_DEV_SERVER\` (see
bench/run.ts). This file is rewritten by every run.

Everything (dev server, Postgres, worker, driver) shares the machine's cores, so throughput is
CPU-bound and the numbers move from run to run; on a 2-core machine the headline ratios have been
seen to vary by about ±0.1 between runs. Compare ratios from one run, not absolute numbers across runs.

Dev server settings: ${devServerNote()}

## What is measured

Work: every node is the engine's own \`mock\` activity (no delay; it writes its attempt and
step rows to Postgres itself), called with the engine's default activity options
(startToClose 5m; retry 3 attempts, 1s initial, x2, 1m max).

Graphs:
${results.shapes.map((s) => `- **${s.name}**: ${s.describe}; ${s.activities} activities per execution.`).join('\n')}

Systems:
${SYSTEMS.map((s) => `- **${s.name}**: ${s.what}.`).join('\n')}

Fairness: every system starts its workflow with the same search attributes and summary on
the same worker and task queue; all executions complete and their outputs are checked to be
identical across systems. The \`baseline\` keeps the execution row itself (running at start,
completed with its output at the end) through the same \`mirrorFlush\` local activity the
engine uses, because the mock activity's step rows need that row (foreign key) and the engine
pays for it too. The \`baseline-bare\` row is inserted by the driver before the timer starts,
so its numbers are a lower bound that leaves out execution-level mirroring entirely.

Measurements (per shape and system):
- **one at a time**: wall time from start to result, ${WARMUP} warm-up then N=${N} timed
  executions, the systems interleaved in rotating order; median and p95 (nearest rank).
- **throughput**: ${PER_ROUND * ROUNDS} executions with ${CONCURRENCY} in flight, in ${ROUNDS} round(s) of
  ${PER_ROUND} (every other round in reverse system order, so that no system always goes first);
  executions per second over all rounds, and the median wall time of one execution under that load.

Ratios: time ratio = engine / baseline (> 1 means the engine is slower); throughput ratio =
baseline / engine (> 1 means the engine is slower). **engine / baseline** is the headline.

## Run

- Date: ${date}
- Command: \`${commandLine()}\`
- Settings: N=${N}, warm-up ${WARMUP}, throughput ${PER_ROUND * ROUNDS} executions (${ROUNDS} x ${PER_ROUND}) at ${CONCURRENCY} in flight; workflow bundle ${PRELOAD ? `with preloadModules ${PRELOAD_MODULES.join(', ')} (BENCH_PRELOAD=1)` : 'as the worker builds it (no preloadModules)'}
- Machine: ${Object.entries(results.machine).map(([k, v]) => `${k}: ${v}`).join('; ')}
- Total bench time: ${fmt(results.totalSeconds, 0)} s

## Results

${resultsTable(results)}

## Ratios

${ratiosTable(results)}

## Where the time goes (per execution)

${DIAGNOSTIC_RUNS} more executions of each, one at a time, after the measurements; means per execution. From
their Temporal histories (the same data as \`temporal workflow show\`): events, workflow tasks and the
summed time between their Started and Completed events (worker-side workflow code, including local
activities run inside the task), activities scheduled and local-activity markers. And SQL statements
(BEGIN/COMMIT included) sent from the worker's pool (activities, mirror flushes) and from the driver's
client pool (the engine's client SDK).

${diagnosticsTable(results)}

Workflow code alone: the last ${REPLAY_HISTORIES} histories of \`engine-raw\` and \`baseline\` replayed
offline (\`Worker.runReplayHistories\`, ${REPLAY_ROUNDS} rounds), median time per execution. This is the
worker-side CPU of an execution's workflow tasks: sandbox set-up, module initialization, activations and
the workflow code itself, with no server or database involved. The worker runs one bundle holding both the
engine and the baseline, so in the live runs the baseline also initializes the engine's modules (zod,
CEL, the planner) for every execution; the last column replays the same baseline histories from a
bundle of the baseline alone to show what that costs.

${replayTable(results)}

${concurrencyMarkdown(results.concurrency, commandLine())}`;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const began = performance.now();
  // Before anything touches the native runtime (the dev server is started through it too).
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const logger: Logger = { info: () => undefined, warn: (obj, msg) => console.warn('warn', msg, obj), error: (obj, msg) => console.error('error', msg, obj) };
  const shapes = buildShapes();
  const bundlerLogger = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

  const workDir = mkdtempSync(join(os.tmpdir(), 'wf-bench-'));
  chmodSync(workDir, 0o755); // embedded Postgres runs as its own user when we are root
  const cleanups: (() => Promise<unknown>)[] = [];
  let starting: Promise<[DevServer, RunningPostgres, WorkflowBundle]> | undefined;
  let interrupted: (reason: Error) => void = () => undefined;
  const interruption = new Promise<never>((_, reject) => (interrupted = reject));
  interruption.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C: leave now
    progress(`\n${signal}: stopping (again to force)`);
    interrupted(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    progress(`starting Temporal dev server, PostgreSQL and the workflow bundle (work dir ${workDir})`);
    starting = Promise.all([
      freePort().then((port) => startBenchDevServer(port, STOCK_DEV_SERVER)).then((s: DevServer) => (cleanups.push(() => s.stop()), s)),
      freePort().then((port) => startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port, database: 'wf_bench', ephemeral: true })).then((p: RunningPostgres) => (cleanups.push(() => p.stop()), p)),
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, logger: bundlerLogger, ...(PRELOAD ? { preloadModules: PRELOAD_MODULES } : {}) }),
    ]);
    starting.catch(() => undefined);
    const [server, postgres, bundle] = await Promise.race([starting, interruption]);
    await migrate(postgres.url, logger);
    // Only for the replay diagnostics; the worker runs the combined bundle.
    const baselineOnlyBundle = bundleWorkflowCode({ workflowsPath: BASELINE_ONLY_ENTRY, logger: bundlerLogger });
    baselineOnlyBundle.catch(() => undefined);

    const workerPool = createPool(postgres.url);
    const clientPool = createPool(postgres.url, 4);
    cleanups.push(() => workerPool.end(), () => clientPool.end());
    const counter = new QueryCounter();
    counter.install({ worker: workerPool, client: clientPool });

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    const worker: Worker = await createEngineWorker({ connection: nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, pool: workerPool, logger, workflowBundle: bundle });
    const workerRun = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => undefined);
    });
    const workerDied = workerRun.then(() => Promise.reject(new Error('the worker stopped')));
    workerDied.catch(() => undefined);

    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection, namespace: 'default' });
    const bench: Bench = { temporal, engine: new EngineClient({ temporal, pool: clientPool, taskQueue: TASK_QUEUE }), workerPool, clientPool };

    const guarded = <T>(work: Promise<T>): Promise<T> => {
      work.catch(() => undefined); // when a race is lost, the loser's later failure is expected
      return Promise.race([work, interruption, workerDied]);
    };
    const sequential = new Map<ShapeName, Map<SystemName, Sequential>>();
    const throughput = new Map<ShapeName, Map<SystemName, Throughput>>();
    const diagnostics = new Map<ShapeName, Map<SystemName, Diagnostic>>();
    if (CONCURRENCY_ONLY) {
      const concurrency = await guarded(runConcurrencyBench({ engine: bench.engine, pool: clientPool, organizationId: ORG, progress }));
      process.stdout.write(`\n${concurrencyTable(concurrency)}\n`);
      return;
    }
    for (const shape of shapes) {
      progress(`${shape.name}: one at a time (${WARMUP} warm-up + ${N}) x ${SYSTEMS.length} systems`);
      sequential.set(shape.name, await guarded(runSequential(bench, shape)));
      for (const [name, s] of sequential.get(shape.name)!) progress(`  ${shape.name}/${name}: median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms`);
      progress(`${shape.name}: throughput (${PER_ROUND * ROUNDS} at ${CONCURRENCY} in flight, in ${ROUNDS} round(s))`);
      throughput.set(shape.name, await guarded(runThroughput(bench, shape)));
      const perSystem = new Map<SystemName, Diagnostic>();
      for (const { name } of SYSTEMS) perSystem.set(name, await guarded(diagnose(bench, counter, shape, name)));
      diagnostics.set(shape.name, perSystem);
    }
    progress('replaying histories (workflow code alone)');
    const replay = new Map<ShapeName, ReplayCosts>();
    const bundles = { combined: bundle, baselineOnly: await baselineOnlyBundle };
    for (const shape of shapes) replay.set(shape.name, await guarded(measureReplay(bench, shape, sequential.get(shape.name)!, bundles)));

    // The engine's mirror saw every node of the last execution complete.
    const lastEngine = sequential.get('fanout')!.get('engine')!.workflowIds.at(-1)!;
    const view = await bench.engine.status(ORG, lastEngine);
    const completedSteps = Object.values(view.steps).filter((s) => s.status === 'completed').length;
    if (completedSteps !== FANOUT_WIDTH + 2) throw new Error(`mirror of ${lastEngine} shows ${completedSteps} completed steps, expected ${FANOUT_WIDTH + 2}`);

    const concurrency = await guarded(runConcurrencyBench({ engine: bench.engine, pool: clientPool, organizationId: ORG, progress }));

    let temporalCli = server.executable;
    try {
      temporalCli = execFileSync(server.executable, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      // keep the path
    }
    const postgresVersion = (await clientPool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const results: Results = { shapes, sequential, throughput, diagnostics, replay, concurrency, machine: machine(temporalCli, postgresVersion), totalSeconds: (performance.now() - began) / 1000 };

    const report = markdown(results);
    process.stdout.write(`\n${resultsTable(results)}\n\n${ratiosTable(results)}\n\n${diagnosticsTable(results)}\n\n${replayTable(results)}\n\n${concurrencyTable(concurrency)}\n`);
    if (OUT !== '-') {
      writeFileSync(OUT, report);
      progress(`\nwrote ${OUT}`);
    }
  } finally {
    // Interrupted while starting: let the servers come up, so that they are stopped below.
    await starting?.catch(() => undefined);
    // Reverse order: client, worker, pools, then the servers.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => progress(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
    }
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => {
    // Anything the SDK left behind must not keep the process alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  },
  (error: unknown) => {
    if (error instanceof Error && error.message.startsWith('interrupted by')) {
      // Everything is stopped; calls still in flight would only fail noisily on closed channels.
      progress('stopped');
      process.exit(130);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2000).unref();
  },
);
