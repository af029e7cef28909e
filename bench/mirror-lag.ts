/**
 * Mirror lag: how long after a node ended its step row is visible `completed` in Postgres.
 *
 * Executions of the 10-node chain, the 20-way fan-out and a small graph with inline nodes
 * between mocks run through EngineClient (start + waitForEnd) with BENCH_LAG_CONCURRENCY in
 * flight, while a sampler (bench/completed-step-sampler.ts) polls execution_steps every
 * BENCH_LAG_SAMPLE_MS for the executions in flight. Afterwards each execution's history gives
 * the instants the lag is measured from (bench/history-times.ts):
 * - an activity node: its ActivityTaskCompleted event. The node's activity writes its own row
 *   before it returns, so the row is usually visible before that event (negative lag).
 * - an inline node: the workflow task that decided it (its WorkflowTaskCompleted; also its
 *   WorkflowTaskStarted, the workflow's clock when it decided). Its row rides along with the
 *   next activity the workflow starts, or goes out in a `mirrorFlush` local activity.
 * The dev server, Postgres and the sampler run on this machine: one clock for all instants.
 *
 * Settings (env): BENCH_LAG_EXECUTIONS (40 per graph, after BENCH_LAG_CONCURRENCY warm-up
 * executions), BENCH_LAG_CONCURRENCY (8), BENCH_LAG_SAMPLE_MS (10).
 */
import type { Client } from '@temporalio/client';
import { idempotentExecutionId } from '../src/client/ids';
import type { EngineClient } from '../src/client';
import { createPool } from '../src/store/pool';
import type { GraphDocument, Json } from '../src/workflows/graph/types';
import { validateGraph } from '../src/workflows/graph/validate';
import { CompletedStepSampler } from './completed-step-sampler';
import { intEnv } from './env';
import { chainGraph, fanoutGraph } from './graphs';
import { historyTimes, inlineDecisionEvents } from './history-times';
import { lagStats, type LagStats } from './lag-stats';

export const MIRROR_LAG_ENV_KNOBS = ['BENCH_LAG_EXECUTIONS', 'BENCH_LAG_CONCURRENCY', 'BENCH_LAG_SAMPLE_MS'];
const HISTORY_READERS = 8;
const SETTLE_MS = 10_000;

export interface MirrorLagDeps {
  engine: EngineClient;
  temporal: Client;
  databaseUrl: string;
  organizationId: string;
  input: Json;
  guarded<T>(work: Promise<T>): Promise<T>;
  progress: (message: string) => void;
}

export interface ActivityLagRow {
  graph: string;
  executions: number;
  /** visible - ActivityTaskCompleted, ms, over every activity node of every execution. */
  lag: LagStats;
  /** The row's finished_at (written inside the activity) - ActivityTaskCompleted, ms: the same without the sampler's resolution. */
  written: LagStats;
}

export interface InlineLagRow {
  graph: string;
  node: string;
  /** How its row reaches the mirror. */
  route: string;
  executions: number;
  /** visible - WorkflowTaskCompleted of the deciding task, ms. */
  fromTaskCompleted: LagStats;
  /** visible - WorkflowTaskStarted of the deciding task, ms. */
  fromTaskStarted: LagStats;
}

export interface MirrorLagResult {
  settings: { executions: number; concurrency: number; samplePeriodMs: number };
  /** Measured gaps between the sampler's queries (its actual resolution), ms. */
  sampling: { ticks: number; meanMs: number; p99Ms: number; maxMs: number };
  activity: ActivityLagRow[];
  inline: InlineLagRow[];
}

interface LagGraph {
  name: string;
  graph: GraphDocument;
  /** Per inline node: how its row travels. */
  routes: Record<string, string>;
}

/** mock `a` -> transform `t1` -> mock `b` -> transform `t2`: one inline row rides with an activity, the last goes with the final flush. */
function inlineLagGraph(): Record<string, unknown> {
  return {
    id: 'bench-lag-inline',
    version: 1,
    name: 'Benchmark: inline transforms between mock nodes',
    nodes: [
      { id: 'a', type: 'mock', config: {} },
      { id: 't1', type: 'transform', config: { output: { x: { $expr: 'input.n' } } } },
      { id: 'b', type: 'mock', config: {} },
      { id: 't2', type: 'transform', config: { output: { y: { $expr: 'input.x + 1' } } } },
    ],
    edges: [
      { from: 'a', to: 't1' },
      { from: 't1', to: 'b' },
      { from: 'b', to: 't2' },
    ],
  };
}

function validated(document: Record<string, unknown>): GraphDocument {
  const result = validateGraph(document);
  if (!result.ok) throw new Error(`mirror-lag graph ${String(document.id)} is invalid: ${JSON.stringify(result.problems)}`);
  return result.graph;
}

function lagGraphs(): LagGraph[] {
  return [
    { name: 'chain', graph: validated(chainGraph(10)), routes: {} },
    { name: 'fanout', graph: validated(fanoutGraph()), routes: {} },
    {
      name: 'inline',
      graph: validated(inlineLagGraph()),
      routes: { t1: "carried by the next node activity (b's, written when it starts)", t2: 'the final mirrorFlush local activity, with the execution row' },
    },
  ];
}

/** `count` executions of `graph`, `concurrency` in flight; each watched by the sampler from before its start (unless `sampler` is omitted). */
async function runExecutions(deps: MirrorLagDeps, graph: GraphDocument, count: number, concurrency: number, tag: string, sampler?: CompletedStepSampler): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        // An idempotency key names the execution before it starts, so the sampler watches it from the first row on.
        const key = `${tag}-${next++}`;
        const executionId = idempotentExecutionId(deps.organizationId, graph.id, key);
        sampler?.watch(executionId, graph.nodes.length);
        await deps.engine.start({ organizationId: deps.organizationId, graph, input: deps.input, idempotencyKey: key });
        const view = await deps.engine.waitForEnd(deps.organizationId, executionId);
        if (view.status !== 'completed') throw new Error(`mirror-lag: ${executionId} ended ${view.status}: ${JSON.stringify(view.error)}`);
        ids.push(executionId);
      }
    }),
  );
  return ids;
}

async function lagsOf(deps: MirrorLagDeps, lagGraph: LagGraph, ids: string[], sampler: CompletedStepSampler): Promise<{ activity: ActivityLagRow; inline: InlineLagRow[] }> {
  const activityLags: number[] = [];
  const written: number[] = [];
  const inlineNodes = lagGraph.graph.nodes.filter((node) => lagGraph.routes[node.id] !== undefined).map((node) => node.id);
  const inlineLags = new Map(inlineNodes.map((id) => [id, { completed: [] as number[], started: [] as number[] }]));
  let next = 0;
  await Promise.all(
    Array.from({ length: HISTORY_READERS }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const times = historyTimes(await deps.temporal.workflow.getHandle(id).fetchHistory());
        const seen = sampler.stepsOf(id);
        const nodeIds = lagGraph.graph.nodes.map((node) => node.id);
        for (const nodeId of nodeIds) {
          const step = seen.get(nodeId);
          const end = times.activityEnds.get(nodeId);
          if (!step) throw new Error(`mirror-lag: the sampler never saw ${id}/${nodeId} completed`);
          if (end) {
            activityLags.push(step.visibleMs - end.endedMs);
            written.push(step.finishedAtMs - end.endedMs);
          }
        }
        for (const [nodeId, afterEvent] of inlineDecisionEvents(nodeIds, lagGraph.graph.edges, times.activityEnds)) {
          const lags = inlineLags.get(nodeId);
          if (!lags) throw new Error(`mirror-lag: ${id}/${nodeId} ran without an activity, but the graph ${lagGraph.name} names no route for it`);
          const task = times.taskAfter(afterEvent);
          if (!task) throw new Error(`mirror-lag: no completed workflow task after event ${afterEvent} in ${id}`);
          const visible = seen.get(nodeId)!.visibleMs;
          lags.completed.push(visible - task.completedMs);
          lags.started.push(visible - task.startedMs);
        }
      }
    }),
  );
  const activity: ActivityLagRow = { graph: lagGraph.name, executions: ids.length, lag: lagStats(activityLags), written: lagStats(written) };
  const inline = [...inlineLags].map(([node, lags]): InlineLagRow => ({
    graph: lagGraph.name,
    node,
    route: lagGraph.routes[node],
    executions: ids.length,
    fromTaskCompleted: lagStats(lags.completed),
    fromTaskStarted: lagStats(lags.started),
  }));
  return { activity, inline };
}

export async function runMirrorLag(deps: MirrorLagDeps): Promise<MirrorLagResult> {
  const settings = { executions: intEnv('BENCH_LAG_EXECUTIONS', 40), concurrency: intEnv('BENCH_LAG_CONCURRENCY', 8), samplePeriodMs: intEnv('BENCH_LAG_SAMPLE_MS', 10) };
  // Its own connection: the sampler's queries must not wait behind the client's.
  const pool = createPool(deps.databaseUrl, 1);
  const sampler = new CompletedStepSampler(pool, settings.samplePeriodMs);
  const run = Date.now().toString(36);
  const activity: ActivityLagRow[] = [];
  const inline: InlineLagRow[] = [];
  try {
    sampler.start();
    for (const lagGraph of lagGraphs()) {
      deps.progress(`mirror lag: ${lagGraph.name}: ${settings.concurrency} warm-up, then ${settings.executions} executions at ${settings.concurrency} in flight, execution_steps polled every ${settings.samplePeriodMs} ms`);
      await deps.guarded(runExecutions(deps, lagGraph.graph, settings.concurrency, settings.concurrency, `lag-${run}-${lagGraph.name}-warmup`));
      const ids = await deps.guarded(runExecutions(deps, lagGraph.graph, settings.executions, settings.concurrency, `lag-${run}-${lagGraph.name}`, sampler));
      // Every row is written before the execution ends; this only waits for the sampler's next tick.
      await sampler.settled(SETTLE_MS);
      if (sampler.failure) throw new Error(`mirror-lag: the sampler's query failed: ${sampler.failure.message}`);
      const missing = sampler.pending();
      if (missing.length > 0) throw new Error(`mirror-lag: ${missing.length} executions' rows never all seen completed (first ${missing[0]})`);
      const rows = await deps.guarded(lagsOf(deps, lagGraph, ids, sampler));
      activity.push(rows.activity);
      inline.push(...rows.inline);
      deps.progress(`  activity rows: lag p50 ${rows.activity.lag.p50.toFixed(0)} ms, p99 ${rows.activity.lag.p99.toFixed(0)} ms, ${rows.activity.lag.negative} of ${rows.activity.lag.count} seen before the activity's end event`);
    }
  } finally {
    await sampler.stop();
    await pool.end();
  }
  const intervals = sampler.intervals;
  const sampling = { ticks: intervals.length + 1, meanMs: intervals.reduce((sum, v) => sum + v, 0) / Math.max(1, intervals.length), p99Ms: lagStats(intervals).p99, maxMs: lagStats(intervals).max };
  return { settings, sampling, activity, inline };
}
