/** The bench's report: the tables printed on stdout and BENCHMARKS.md around them. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { concurrencyMarkdown, type ConcurrencyResults } from './concurrency';
import { httpMarkdown, type HttpBenchResults } from './http';
import type { ScaleOutResults } from './scale-out';
import { scaleMarkdown } from './scale-report';
import type { MirrorLagResult } from './mirror-lag';
import { mirrorLagMarkdown } from './mirror-lag-report';
import type { InFlightRssResult } from './in-flight-rss';
import { inFlightRssMarkdown } from './in-flight-rss-report';
import { BENCH_DYNAMIC_CONFIG } from './dev-server';
import type { Diagnostic, ReplayCosts } from './diagnostics';
import type { Sequential, Throughput } from './measure';
import { planCounts } from './measure';
import { commandLine, CONCURRENCY, DIAGNOSTIC_RUNS, LARGE_N, N, PER_ROUND, REPLAY_HISTORIES, REPLAY_ROUNDS, ROUNDS, STOCK_DEV_SERVER, WARMUP } from './settings';
import { fmt } from './stats';
import { SYSTEMS, systemsOf, type ShapeName, type ShapeSpec, type SystemName } from './systems';
import { WORKFLOW_BUNDLER_OPTIONS } from '../src/workflow-bundle-options';

/** `temporal --version`, or the executable's path when it does not answer. */
export function temporalCliVersion(executable: string): string {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return executable;
  }
}

export function machine(temporalCli: string, postgresVersion: string): Record<string, string> {
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

export interface Results {
  shapes: ShapeSpec[];
  sequential: Map<ShapeName, Map<SystemName, Sequential>>;
  throughput: Map<ShapeName, Map<SystemName, Throughput>>;
  diagnostics: Map<ShapeName, Map<SystemName, Diagnostic>>;
  replay: Map<ShapeName, ReplayCosts>;
  concurrency: ConcurrencyResults;
  http: HttpBenchResults;
  scale: ScaleOutResults;
  mirrorLag: MirrorLagResult;
  inFlight: InFlightRssResult;
  machine: Record<string, string>;
  totalSeconds: number;
}

export function resultsTable(results: Pick<Results, 'shapes' | 'sequential' | 'throughput'>): string {
  const lines = [
    '| shape | system | 1 at a time: runs | p50 ms | p99 ms | under load: in flight | executions | exec/s | p50 ms | p99 ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    for (const { name } of systemsOf(shape)) {
      const seq = results.sequential.get(shape.name)!.get(name)!;
      const thr = results.throughput.get(shape.name)!.get(name)!;
      const load = shape.plan === 'large' ? '(1 at a time) | | | |' : `${thr.inFlight} | ${thr.executions} | ${fmt(thr.perSecond)} | ${fmt(thr.latencyMedian)} | ${fmt(thr.latencyP99)} |`;
      const exec = shape.plan === 'large' ? ` (${fmt(thr.perSecond, 3)} exec/s)` : '';
      lines.push(`| ${shape.name} | ${name} | ${seq.samples.length} | ${fmt(seq.median)}${exec} | ${fmt(seq.p99)} | ${load}`);
    }
  }
  return lines.join('\n');
}

/** The comparisons drawn: [system, yardstick]; the bold ones are the headline. */
const PAIRS: [SystemName, SystemName][] = [
  ['engine', 'baseline'],
  ['engine-raw', 'baseline'],
  ['engine', 'baseline-bare'],
  ['engine-raw', 'baseline-bare'],
  ['engine', 'baseline-local-eager'],
  ['engine', 'pgboss'],
];

export function ratiosTable(results: Pick<Results, 'shapes' | 'sequential' | 'throughput'>): string {
  const lines = [
    '| shape | comparison | time ratio (p50) | time ratio (p99) | throughput ratio (yardstick exec/s / system exec/s) |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    const seq = results.sequential.get(shape.name)!;
    const thr = results.throughput.get(shape.name)!;
    for (const [engine, yardstick] of PAIRS) {
      const a = seq.get(engine);
      const b = seq.get(yardstick);
      if (!a || !b) continue; // not both run on this shape
      const bold = engine === 'engine' && (yardstick === 'baseline' || yardstick === 'baseline-local-eager') ? '**' : '';
      lines.push(
        `| ${shape.name} | ${bold}${engine} / ${yardstick}${bold} | ${bold}${fmt(a.median / b.median, 2)}x${bold} | ${fmt(a.p99 / b.p99, 2)}x | ${bold}${fmt(thr.get(yardstick)!.perSecond / thr.get(engine)!.perSecond, 2)}x${bold} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Per node of the graph (a map's items count as nodes): history events, workflow tasks, SQL statements, time. */
export function perNodeTable(results: Pick<Results, 'shapes' | 'sequential' | 'diagnostics'>): string {
  const lines = [
    '| shape | system | nodes | runs (continue-as-new) | history events / node | workflow tasks / node | SQL statements / node (worker + client) | ms / node (1 at a time, p50) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    for (const { name } of systemsOf(shape)) {
      const d = results.diagnostics.get(shape.name)!.get(name)!;
      const seq = results.sequential.get(shape.name)!.get(name)!;
      const temporal = name !== 'pgboss';
      const perNode = (value: number): string => (temporal ? fmt(value / shape.nodes, 2) : '-');
      lines.push(
        `| ${shape.name} | ${name} | ${shape.nodes} | ${temporal ? fmt(d.history.runs) : '-'} | ${perNode(d.history.events)} | ${perNode(d.history.workflowTasks)} | ${fmt((d.workerQueries + d.clientQueries) / shape.nodes, 2)} | ${fmt(seq.median / shape.nodes, 2)} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * What one more node costs, apart from what an execution costs whatever its size: the slope of
 * the one-at-a-time p50 between two sizes of the same shape (chain-1 to chain-50; the 20-way
 * fan-out to the 1,000-wide one). Empty when a pair was not run.
 */
export function perNodeSlopeTable(results: Pick<Results, 'shapes' | 'sequential'>): string {
  const pairs: [ShapeName, ShapeName, string][] = [
    ['chain-1', 'chain-50', 'chain (1 -> 50 nodes)'],
    ['fanout', 'wide', 'fan-out (22 -> 1,002 nodes)'],
  ];
  const lines = [
    '| shape | system | ms per extra node | vs baseline | fixed ms per execution (p50 of the smaller minus its nodes x slope) |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const [small, large, label] of pairs) {
    const a = results.shapes.find((shape) => shape.name === small);
    const b = results.shapes.find((shape) => shape.name === large);
    if (!a || !b) continue;
    const slope = (system: SystemName): number | undefined => {
      const x = results.sequential.get(small)?.get(system);
      const y = results.sequential.get(large)?.get(system);
      return x && y ? (y.median - x.median) / (b.nodes - a.nodes) : undefined;
    };
    const baseline = slope('baseline');
    for (const system of ['engine', 'baseline', 'pgboss'] as SystemName[]) {
      const value = slope(system);
      if (value === undefined) continue;
      const fixed = results.sequential.get(small)!.get(system)!.median - a.nodes * value;
      const bold = system === 'engine' ? '**' : '';
      lines.push(`| ${label} | ${system} | ${fmt(value, 2)} | ${bold}${baseline ? `${fmt(value / baseline, 2)}x` : '-'}${bold} | ${fmt(fixed)} |`);
    }
  }
  return lines.length > 2 ? lines.join('\n') : '';
}

export function diagnosticsTable(results: Pick<Results, 'shapes' | 'diagnostics'>): string {
  const lines = [
    '| shape | system | history events | workflow tasks | workflow-task time ms | activities | local-activity markers | SQL statements in worker | SQL statements in client |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    for (const { name } of systemsOf(shape)) {
      const d = results.diagnostics.get(shape.name)!.get(name)!;
      const h = d.history;
      const history = name === 'pgboss' ? '- | - | - | - | -' : `${fmt(h.events)} | ${fmt(h.workflowTasks)} | ${fmt(h.workflowTaskMs)} | ${fmt(h.activitiesScheduled)} | ${fmt(h.localActivityMarkers)}`;
      lines.push(`| ${shape.name} | ${name} | ${history} | ${fmt(d.workerQueries)} | ${fmt(d.clientQueries)} |`);
    }
  }
  return lines.join('\n');
}

/**
 * Fast nodes (DESIGN §11): the local chain against its local+eager yardstick and against the
 * ordinary chain of the same run. Empty when either shape was left out (BENCH_SHAPES).
 */
export function fastNodesTable(results: Pick<Results, 'sequential' | 'throughput'>): string {
  const local = results.sequential.get('local-chain');
  const chain = results.sequential.get('chain');
  const localThr = results.throughput.get('local-chain');
  const chainThr = results.throughput.get('chain');
  if (!local?.has('engine') || !local.has('baseline-local-eager') || !chain?.has('baseline') || !chain.has('engine') || !localThr || !chainThr) return '';
  const rows: [string, Sequential, Throughput][] = [
    ['chain / baseline (ordinary activities)', chain.get('baseline')!, chainThr.get('baseline')!],
    ['chain / engine (ordinary activities)', chain.get('engine')!, chainThr.get('engine')!],
    ['local-chain / baseline-local-eager (local activities, eager start)', local.get('baseline-local-eager')!, localThr.get('baseline-local-eager')!],
    ['local-chain / engine (`"local": true`, eager start)', local.get('engine')!, localThr.get('engine')!],
  ];
  const engine = localThr.get('engine')!;
  const yardstick = localThr.get('baseline-local-eager')!;
  const ordinary = chainThr.get('baseline')!;
  return [
    `| shape / system | median ms (1 at a time) | p95 ms | throughput exec/s (${CONCURRENCY} in flight) |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([label, seq, thr]) => `| ${label} | ${fmt(seq.median)} | ${fmt(seq.p95)} | ${fmt(thr.perSecond)} |`),
    '',
    `Engine local chain: **${fmt(yardstick.perSecond / engine.perSecond, 2)}x** baseline-local-eager (throughput, baseline / engine; target ≤ 1.2x), ` +
      `${fmt(local.get('engine')!.median / local.get('baseline-local-eager')!.median, 2)}x (median time, engine / baseline); ` +
      `**${fmt(engine.perSecond / ordinary.perSecond, 2)}x** the executions/s of the ordinary-activity chain baseline (target ≥ 2x; ` +
      // The 2x was derived from the issue's own measurement, where local+eager did 2.97x the ordinary chain.
      `the hand-written local+eager workflow itself does ${fmt(yardstick.perSecond / ordinary.perSecond, 2)}x here, and 2x follows from the 1.2x target only where it does at least 2.4x), ` +
      `${fmt(engine.perSecond / chainThr.get('engine')!.perSecond, 2)}x the engine's ordinary chain.`,
  ].join('\n');
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

export function replayTable(results: Pick<Results, 'shapes' | 'replay'>): string {
  const lines = [
    '| shape | engine ms | baseline ms | engine / baseline | baseline, own bundle ms |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const shape of results.shapes) {
    const r = results.replay.get(shape.name);
    if (!r) continue; // no engine-raw and hand-written pair on this shape
    lines.push(`| ${shape.name} | ${fmt(r.engine)} | ${fmt(r.baseline)} | ${fmt(r.engine / r.baseline, 2)}x | ${fmt(r.baselineOwnBundle)} |`);
  }
  return lines.join('\n');
}

export function markdown(results: Results): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return `# Benchmarks

How much the engine costs on top of Temporal itself, and how it compares with a queue-based
executor: the same work run as a workflow graph through the engine, as hand-written Temporal
workflows calling the same activity, and by a breadth-first graph executor on pg-boss (no
Temporal) on the same Postgres. Targets (issue 14): the engine's per-node overhead within 1.1x of
the hand-written baseline for the chain and the fan-out (the **engine / baseline** rows); the
local-node chain within 1.2x of a hand-written local+eager workflow and at least 2x the
ordinary-activity baseline.

Reproduce with \`npm run bench\` (one process: starts a Temporal CLI dev server with an
in-memory SQLite store and an embedded PostgreSQL on free ports, migrates, runs one worker
with the engine's \`graphExecution\` and the baseline in one bundle, measures, stops
everything). Knobs (environment): \`BENCH_N\`, \`BENCH_WARMUP\`, \`BENCH_TOTAL\`,
\`BENCH_CONCURRENCY\`, \`BENCH_ROUNDS\`, \`BENCH_LARGE_N\`, \`BENCH_WIDE_WIDTH\`, \`BENCH_LAYERED_NODES\`,
\`BENCH_MAP_ITEMS\`, \`BENCH_STOCK_DEV_SERVER\`, and to shorten a run \`BENCH_SHAPES\` and
\`BENCH_SYSTEMS\` (see bench/run.ts). This file is rewritten by every run that measures all shapes and systems.

Everything (dev server, Postgres, worker, driver) shares the machine's cores, so throughput is
CPU-bound and the numbers move from run to run; on a 2-core machine the headline ratios have been
seen to vary by about ±0.15 between runs (the local chain's throughput ratio: 1.21x and 1.36x in two
runs an hour apart on one machine; the 10-node chain's 1.08x and 1.21x, in 4 rounds of 20), those of the
large shapes by up to ±0.4 with two executions each (wide: 0.83x and 1.24x in two runs of one day). So the
defaults are 8 rounds of 20 under load and 4 executions of each large shape. Compare ratios from one run,
not absolute numbers across runs.

Dev server settings: ${devServerNote()}

## What is measured

Work: every activity node is the engine's own \`mock\` activity (no delay; it writes its attempt and
step rows to Postgres itself), called with the engine's default activity options
(startToClose 5m; retry 3 attempts, 1s initial, x2, 1m max). The pg-boss executor runs the same
graphs with its own step jobs: a job per activity node (and per map item) that renders the node's
config with the engine's own expression code, writes its step row and sends the jobs of the nodes
whose inputs are now all in, in one transaction; inline nodes are evaluated in that transaction.

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

Measurements (per shape and system; every system of a shape gets the same counts and in-flight count):
- **one at a time**: wall time from start to result, ${WARMUP} warm-up then N=${N} timed
  executions (chain-1 and chain-50: ${planCounts('medium').warmup} + ${planCounts('medium').n}), the systems interleaved in rotating order; p50 and p99 (nearest rank).
- **throughput**: ${PER_ROUND * ROUNDS} executions with ${CONCURRENCY} in flight, in ${ROUNDS} round(s) of
  ${PER_ROUND} (chain-1 and chain-50: ${planCounts('medium').perRound * planCounts('medium').rounds} in ${planCounts('medium').rounds}), every other round in reverse system order, so that no system always goes first;
  executions per second over all rounds, and p50/p99 wall time of one execution under that load.
- **large shapes** (wide, layered, map): ${LARGE_N} execution(s) per system one at a time (\`BENCH_LARGE_N\`), with the SQL
  counter on; their exec/s is executions over their summed time (one in flight: each execution is already
  hundreds of activities in parallel), their p99 with so few samples is the slowest.

Ratios: time ratio = engine / baseline (> 1 means the engine is slower); throughput ratio =
baseline / engine (> 1 means the engine is slower). **engine / baseline** is the headline.

The \`http\` node (its own section below): its per-call overhead beside a plain undici call in the
same process, and executions per second of a 10-node chain of \`http\` nodes against a local server
beside the 10-node \`mock\` chain. Scale-out (its own section): throughput of the 10-node \`mock\` chain with 1
and then 2 worker processes running \`src/worker.ts\`.
Knowledge (its own section): ingest throughput of knowledge corpora and top-5 retrieval latency at the corpus sizes of
\`BENCH_KNOWLEDGE_CHUNKS\` (1,000 and 50,000 chunks; \`BENCH_KNOWLEDGE=0\` leaves it out, \`npm run bench:knowledge\` runs only it).

## Run

- Date: ${date}
- Command: \`${commandLine()}\`
- Settings: N=${N}, warm-up ${WARMUP}, throughput ${PER_ROUND * ROUNDS} executions (${ROUNDS} x ${PER_ROUND}) at ${CONCURRENCY} in flight; workflow bundle as the worker builds it (preloadModules ${WORKFLOW_BUNDLER_OPTIONS.preloadModules.map((module) => module.replace(/^.*\/src\//, 'src/')).join(', ')}: src/workflow-bundle-options.ts)
- Machine: ${Object.entries(results.machine).map(([k, v]) => `${k}: ${v}`).join('; ')}
- Total bench time: ${fmt(results.totalSeconds, 0)} s

## Results

${resultsTable(results)}

## Ratios

${ratiosTable(results)}

## Per node

Per node of the graph (a map's items count as nodes), from the executions of the next section (the large
shapes': the measured ones): history events and workflow tasks summed over all runs of an execution
(continue-as-new), SQL statements from every pool (the engine worker's, the pg-boss executor's and the
driver's), and the one-at-a-time p50 divided by the nodes.

${perNodeTable(results)}

Per-node overhead as a slope: what one more node adds to the one-at-a-time p50, between the two
sizes of a shape, and what is left per execution whatever its size. The engine's target (1.1x the
hand-written baseline per node) is read from the **vs baseline** column.

${perNodeSlopeTable(results)}

## Where the time goes (per execution)

${DIAGNOSTIC_RUNS} more executions of each, one at a time, after the measurements; means per execution. From
their Temporal histories (the same data as \`temporal workflow show\`): events, workflow tasks and the
summed time between their Started and Completed events (worker-side workflow code, including local
activities run inside the task), activities scheduled and local-activity markers. And SQL statements
(BEGIN/COMMIT included) sent from the worker's pool (activities, mirror flushes) and from the driver's
client pool (the engine's client SDK).

${diagnosticsTable(results)}

Workflow code alone: the last ${REPLAY_HISTORIES} histories of \`engine-raw\` and \`baseline\` (\`baseline-local-eager\` for local-chain) replayed
offline (\`Worker.runReplayHistories\`, ${REPLAY_ROUNDS} rounds), median time per execution. This is the
worker-side CPU of an execution's workflow tasks: sandbox set-up, module initialization, activations and
the workflow code itself, with no server or database involved. The worker runs one bundle holding both the
engine and the baseline, so in the live runs the baseline also initializes the engine's modules (zod,
CEL, the planner) for every execution; the last column replays the same baseline histories from a
bundle of the baseline alone to show what that costs.

${replayTable(results)}

## Fast nodes

The \`local-chain\` shape (every node \`"local": true\`, a Temporal local activity inside the workflow
task), its engine executions started with eager start through the worker's connection, against a
hand-written workflow of 10 local activities started the same way; and the ordinary chain of this run.

${fastNodesTable(results)}

${concurrencyMarkdown(results.concurrency, commandLine())}
${httpMarkdown(results.http, commandLine())}
${scaleMarkdown(results.scale, commandLine())}
${mirrorLagMarkdown(results.mirrorLag, commandLine())}
${inFlightRssMarkdown(results.inFlight, commandLine())}`;
}
