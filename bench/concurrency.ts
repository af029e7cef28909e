/**
 * Per-key FIFO concurrency slots (`settings.concurrency`), measured on the bench's running stack
 * (dev server, Postgres, worker, EngineClient) after the main measurements, or alone with
 * BENCH_CONCURRENCY_ONLY=1.
 *
 * Graph: one `mock` node with delayMs 50. For each setting (no `settings.concurrency`, then
 * max = 1, 4, 16 on one constant key), a few warm-up executions, then M executions submitted at
 * once (EngineClient.start, all in flight together) and waited for. From the mirror's
 * `executions` rows: slot acquire-to-start = started_at - queued_at of the first `max` in grant
 * order (they found a free slot), throughput = M / (last finished_at - first submission), and
 * the median queueing time (started_at - queued_at) of all M.
 *
 * Settings (env): BENCH_SLOTS_M (64 executions per setting), BENCH_SLOTS_WARMUP (4),
 * BENCH_SLOTS_DELAY_MS (50).
 */
import type pg from 'pg';
import type { EngineClient } from '../src/client';
import { executionTimes, type ExecutionTimes } from '../src/store/executions/execution-times';
import { intEnv } from './env';
import { median, percentile } from './stats';

export interface ConcurrencyBenchDeps {
  engine: EngineClient;
  pool: pg.Pool;
  organizationId: string;
  progress: (message: string) => void;
}

export interface ConcurrencyRow {
  /** null: the graph has no concurrency setting. */
  max: number | null;
  executions: number;
  /** started_at - queued_at of the executions that found a free slot (the first `max` granted), ms. */
  acquireMedian: number | null;
  acquireMax: number | null;
  /** executions per second from the first submission (driver clock) to the last finished_at. */
  throughput: number;
  /** median started_at - queued_at over all executions, ms. */
  queueMedian: number | null;
  queueP95: number | null;
  /** median started_at - submission (driver clock, before EngineClient.start), over all executions, ms. */
  submitToStartMedian: number;
  /** most executions running at once, from started_at/finished_at. */
  maxOverlap: number;
}

export interface ConcurrencyResults {
  settings: { executions: number; warmup: number; delayMs: number; maxes: number[] };
  rows: ConcurrencyRow[];
}


const MAXES = [1, 4, 16];
export const CONCURRENCY_ENV_KNOBS = ['BENCH_SLOTS_M', 'BENCH_SLOTS_WARMUP', 'BENCH_SLOTS_DELAY_MS'];

function graphFor(max: number | null, delayMs: number): Record<string, unknown> {
  const suffix = max === null ? 'none' : `max${max}`;
  return {
    id: `bench-slots-${suffix}`,
    version: 1,
    name: `Benchmark: one mock node (${delayMs} ms), concurrency ${max === null ? 'none' : `max ${max} on one key`}`,
    ...(max === null ? {} : { settings: { concurrency: { key: `'bench-${suffix}'`, max } } }),
    nodes: [{ id: 'work', type: 'mock', config: { delayMs } }],
  };
}

const t = (value: string | null): number => new Date(value!).getTime();

async function submitAll(deps: ConcurrencyBenchDeps, graph: Record<string, unknown>, count: number): Promise<{ ids: string[]; submittedAt: Map<string, number>; first: number }> {
  const submittedAt = new Map<string, number>();
  const first = Date.now();
  const ids = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const at = Date.now();
      const { executionId } = await deps.engine.start({ organizationId: deps.organizationId, graph, input: { i } });
      submittedAt.set(executionId, at);
      return executionId;
    }),
  );
  const views = await Promise.all(ids.map((id) => deps.engine.waitForEnd(deps.organizationId, id)));
  const failed = views.find((v) => v.status !== 'completed');
  if (failed) throw new Error(`concurrency bench: execution ended ${failed.status}: ${JSON.stringify(failed.error)}`);
  return { ids, submittedAt, first };
}

async function measureOne(deps: ConcurrencyBenchDeps, max: number | null, executions: number, warmup: number, delayMs: number): Promise<ConcurrencyRow> {
  const graph = graphFor(max, delayMs);
  if (warmup > 0) await submitAll(deps, graph, warmup);
  const { ids, submittedAt, first } = await submitAll(deps, graph, executions);
  const rows = await executionTimes(deps.pool, ids);
  if (rows.length !== executions) throw new Error(`concurrency bench: mirror has ${rows.length} of ${executions} executions`);
  for (const row of rows) {
    if (row.status !== 'completed' || !row.startedAt || !row.finishedAt) throw new Error(`concurrency bench: mirror row ${row.id} is ${row.status} without times`);
    if (max !== null && !row.queuedAt) throw new Error(`concurrency bench: mirror row ${row.id} has no queued_at`);
    if (max !== null && t(row.queuedAt) > t(row.startedAt)) throw new Error(`concurrency bench: mirror row ${row.id} started (${row.startedAt}) before it was queued (${row.queuedAt})`);
  }
  const queueMs = (row: ExecutionTimes): number => t(row.startedAt) - t(row.queuedAt);
  const granted = [...rows].sort((a, b) => t(a.startedAt) - t(b.startedAt));
  const free = max === null ? [] : granted.slice(0, max).map(queueMs);
  const all = max === null ? [] : rows.map(queueMs);
  const lastFinish = Math.max(...rows.map((r) => t(r.finishedAt)));
  const intervals = rows.map((r) => [t(r.startedAt), t(r.finishedAt)]);
  const maxOverlap = Math.max(...intervals.map(([start]) => intervals.filter(([s, f]) => s <= start && start < f).length));
  if (max !== null && maxOverlap > max) throw new Error(`concurrency bench: ${maxOverlap} executions ran at once with max ${max}`);
  return {
    max,
    executions,
    acquireMedian: free.length ? median(free) : null,
    acquireMax: free.length ? Math.max(...free) : null,
    throughput: executions / ((lastFinish - first) / 1000),
    queueMedian: all.length ? median(all) : null,
    queueP95: all.length ? percentile(all, 95) : null,
    submitToStartMedian: median(rows.map((r) => t(r.startedAt) - submittedAt.get(r.id)!)),
    maxOverlap,
  };
}

export async function runConcurrencyBench(deps: ConcurrencyBenchDeps): Promise<ConcurrencyResults> {
  const settings = { executions: intEnv('BENCH_SLOTS_M', 64), warmup: intEnv('BENCH_SLOTS_WARMUP', 4, 0), delayMs: intEnv('BENCH_SLOTS_DELAY_MS', 50, 0), maxes: MAXES };
  const rows: ConcurrencyRow[] = [];
  for (const max of [null, ...MAXES]) {
    deps.progress(`concurrency slots: ${max === null ? 'no concurrency setting' : `max ${max}`}, ${settings.warmup} warm-up + ${settings.executions} submitted at once`);
    const row = await measureOne(deps, max, settings.executions, settings.warmup, settings.delayMs);
    rows.push(row);
    deps.progress(
      `  throughput ${row.throughput.toFixed(1)} exec/s, acquire-to-start median ${row.acquireMedian?.toFixed(0) ?? '-'} ms, queue median ${row.queueMedian?.toFixed(0) ?? '-'} ms, max running ${row.maxOverlap}`,
    );
  }
  return { settings, rows };
}

const ms = (value: number | null): string => (value === null ? '-' : value.toFixed(0));

export function concurrencyTable(results: ConcurrencyResults): string {
  const lines = [
    '| concurrency | executions | acquire-to-start ms, first `max` (median / max) | throughput exec/s | queueing ms, all (median / p95) | submit-to-start ms, all (median, driver clock) | most running at once |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results.rows) {
    lines.push(
      `| ${r.max === null ? 'none' : `max ${r.max}`} | ${r.executions} | ${r.max === null ? '-' : `${ms(r.acquireMedian)} / ${ms(r.acquireMax)}`} | ${r.throughput.toFixed(1)} | ${r.max === null ? '-' : `${ms(r.queueMedian)} / ${ms(r.queueP95)}`} | ${ms(r.submitToStartMedian)} | ${r.maxOverlap} |`,
    );
  }
  return lines.join('\n');
}

export function concurrencyMarkdown(results: ConcurrencyResults, command: string): string {
  const { executions, warmup, delayMs, maxes } = results.settings;
  return `## Concurrency slots

Per-key FIFO concurrency (\`settings: { concurrency: { key, max } }\`): an execution waits \`queued\`
until its key's slots workflow grants it a slot. Measured on the same stack as above (bench/concurrency.ts;
\`BENCH_CONCURRENCY_ONLY=1 npm run bench\` runs only this part and prints it without rewriting this file).

- Command: \`${command}\`
- Settings: graph of one \`mock\` node with delayMs ${delayMs}; for no concurrency setting and for max = ${maxes.join(', ')}
  on one constant key (one key per setting), ${warmup} warm-up executions, then ${executions} executions submitted at once
  through \`EngineClient.start\` (all calls in flight together) and waited for. Knobs: \`BENCH_SLOTS_M\`,
  \`BENCH_SLOTS_WARMUP\`, \`BENCH_SLOTS_DELAY_MS\`.
- Times from the mirror's \`executions\` rows: \`queued_at\` (the execution's workflow started and asked for a slot,
  or its grant when that came first: the client asks before the workflow runs), \`started_at\` (slot granted),
  \`finished_at\`; queued_at <= started_at is checked for every row.
  - **acquire-to-start**: started_at - queued_at of the first \`max\` executions in grant order, which found a
    free slot (the cost of the round trip through the slots workflow; 0 when the client's ask was granted
    before the workflow's first task).
  - **throughput**: executions / (last finished_at - first submission).
  - **queueing**: started_at - queued_at over all executions (mostly waiting behind others).
  - **submit-to-start**: started_at - the driver's clock just before \`EngineClient.start\`, over all executions;
    also defined without a concurrency setting.
  - **most running at once**: from the started_at/finished_at intervals (checked to be <= max).

${concurrencyTable(results)}
`;
}
