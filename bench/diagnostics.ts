/**
 * Where the time goes: SQL statements per pool and Temporal history figures of a few more
 * executions, and the workflow code's own cost from replaying recorded histories offline.
 */
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import { Worker, type WorkflowBundleWithSourceMap as WorkflowBundle } from '@temporalio/worker';
import pg from 'pg';
import type { Sequential } from './measure';
import { DIAGNOSTIC_RUNS, REPLAY_HISTORIES, REPLAY_ROUNDS } from './settings';
import { median } from './stats';
import { prepare, type Bench, type ShapeSpec, type SystemName } from './systems';

/** Counts SQL statements (BEGIN/COMMIT included) per pool while enabled. */
export class QueryCounter {
  private readonly roles = new WeakMap<object, 'worker' | 'client'>();
  enabled = false;
  counts = { worker: 0, client: 0 };

  /** `worker` may be several pools: the engine worker's and the pg-boss executor's both count as the worker side. */
  install(pools: { worker: pg.Pool | pg.Pool[]; client: pg.Pool }): void {
    for (const pool of [pools.worker].flat()) pool.on('connect', (client) => this.roles.set(client, 'worker'));
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

export interface HistoryStats {
  events: number;
  workflowTasks: number;
  workflowTaskMs: number;
  activitiesScheduled: number;
  localActivityMarkers: number;
  historyBytes: number;
  /** Runs of the execution (continue-as-new); the other figures are summed over them. */
  runs: number;
}

const toMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

/** One run's history figures. */
function runStats(events: NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>, bytes: number): HistoryStats {
  const startedAt = new Map<number, number>();
  const stats: HistoryStats = { events: events.length, workflowTasks: 0, workflowTaskMs: 0, activitiesScheduled: 0, localActivityMarkers: 0, historyBytes: bytes, runs: 1 };
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

/** The execution's figures over all its runs: from the last run back through each run's `continuedExecutionRunId`. */
export async function historyStats(temporal: Client, workflowId: string): Promise<HistoryStats> {
  let runId: string | undefined;
  const total: HistoryStats = { events: 0, workflowTasks: 0, workflowTaskMs: 0, activitiesScheduled: 0, localActivityMarkers: 0, historyBytes: 0, runs: 0 };
  do {
    const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const run = runStats(events, JSON.stringify(history).length);
    for (const key of Object.keys(total) as (keyof HistoryStats)[]) total[key] += run[key];
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return total;
}

export interface Diagnostic {
  history: HistoryStats;
  workerQueries: number;
  clientQueries: number;
}

/** A few more executions, one at a time, with the SQL counter on; their histories averaged. */
export async function diagnose(bench: Bench, counter: QueryCounter, shape: ShapeSpec, system: SystemName, runs = DIAGNOSTIC_RUNS): Promise<Diagnostic & { samples: number[]; workflowIds: string[] }> {
  const ids: string[] = [];
  const samples: number[] = [];
  counter.reset();
  for (let i = 0; i < runs; i++) {
    const job = await prepare(bench, shape, system);
    counter.enabled = true;
    const began = performance.now();
    await job.run();
    samples.push(performance.now() - began);
    counter.enabled = false;
    ids.push(job.workflowId);
  }
  const { worker, client } = counter.counts;
  // The pg-boss executor has no Temporal history.
  const all = system === 'pgboss' ? [] : await Promise.all(ids.map((id) => historyStats(bench.temporal, id)));
  const mean = (pick: (h: HistoryStats) => number): number => (all.length === 0 ? 0 : all.reduce((sum, h) => sum + pick(h), 0) / all.length);
  const history: HistoryStats = {
    events: mean((h) => h.events),
    workflowTasks: mean((h) => h.workflowTasks),
    workflowTaskMs: mean((h) => h.workflowTaskMs),
    activitiesScheduled: mean((h) => h.activitiesScheduled),
    localActivityMarkers: mean((h) => h.localActivityMarkers),
    historyBytes: mean((h) => h.historyBytes),
    runs: mean((h) => h.runs),
  };
  return { history, workerQueries: worker / runs, clientQueries: client / runs, samples, workflowIds: ids };
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

export interface ReplayCosts {
  engine: number;
  baseline: number;
  /** The baseline replayed from a bundle of the baseline alone (no engine modules to initialize). */
  baselineOwnBundle: number;
}

export async function measureReplay(bench: Bench, shape: ShapeSpec & { replayBaseline: SystemName }, sequential: Map<SystemName, Sequential>, bundles: { combined: WorkflowBundle; baselineOnly: WorkflowBundle }): Promise<ReplayCosts> {
  const histories = async (system: SystemName): Promise<HistoryAndWorkflowId[]> =>
    Promise.all(sequential.get(system)!.workflowIds.slice(-REPLAY_HISTORIES).map(async (workflowId) => ({ workflowId, history: await bench.temporal.workflow.getHandle(workflowId).fetchHistory() })));
  const engine = await histories('engine-raw');
  const baseline = await histories(shape.replayBaseline);
  return {
    engine: await replayCost(bundles.combined, engine),
    baseline: await replayCost(bundles.combined, baseline),
    baselineOwnBundle: await replayCost(bundles.baselineOnly, baseline),
  };
}
