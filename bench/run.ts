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
 * Settings (env): BENCH_N (30), BENCH_WARMUP (5), BENCH_TOTAL (160), BENCH_CONCURRENCY (8),
 * BENCH_ROUNDS (8: BENCH_TOTAL is split into this many rounds, every other one in reverse
 * system order), BENCH_OUT
 * (BENCHMARKS.md; "-" for none), BENCH_STOCK_DEV_SERVER (1: keep the dev server's default
 * history-queue throttle, see bench/dev-server.ts). Then per-key concurrency slots
 * (bench/concurrency.ts); BENCH_CONCURRENCY_ONLY=1 runs only those and prints them (BENCHMARKS.md untouched).
 * Then the http node against a local server (bench/http.ts; BENCH_HTTP_ONLY=1 likewise).
 * Then mirror lag (bench/mirror-lag.ts) and worker RSS with 1,000 executions in flight
 * (bench/in-flight-rss.ts); `npx tsx bench/lag-rss-only.ts` runs only those two.
 * Then scale-out: 1 and 2 worker processes running src/worker.ts on a queue of their own
 * (bench/scale-out.ts; BENCH_SCALE_CONCURRENCY, BENCH_SCALE_TOTAL; BENCH_SCALE_ONLY=1 likewise).
 * Then knowledge corpora: ingest throughput and retrieval latency (bench/knowledge-run.ts;
 * BENCH_KNOWLEDGE=0 leaves it out and keeps BENCHMARKS.md's Knowledge section; `npm run bench:knowledge`
 * runs only it, bench/knowledge.ts).
 * BENCH_SHAPES (comma list of chain, fanout, local-chain; default all) runs only those shapes
 * and only the shape measurements, prints their tables (and the fast-nodes comparison when
 * both chain and local-chain ran) and leaves BENCHMARKS.md untouched: it would be incomplete.
 *
 * This file is the entry: the order of the measurements. The parts: settings.ts (knobs),
 * systems.ts (shapes, systems, one prepared execution), stack.ts (servers, worker, clients),
 * measure.ts (one at a time, throughput), diagnostics.ts (SQL counts, histories, replay cost),
 * report.ts (tables, BENCHMARKS.md), concurrency.ts (slots), http.ts (the http node),
 * scale-out.ts, scale-workers.ts and scale-report.ts (1 and 2 worker processes).
 */
import { writeFileSync } from 'node:fs';
import { serverVersion } from '../src/store/server-version';
import { concurrencyTable, runConcurrencyBench } from './concurrency';
import { diagnose, measureReplay, type Diagnostic, type ReplayCosts } from './diagnostics';
import { planCounts, runSequential, runThroughput, sequentialOf, throughputOfSequential, type Sequential, type Throughput } from './measure';
import { diagnosticsTable, fastNodesTable, machine, markdown, perNodeSlopeTable, perNodeTable, ratiosTable, replayTable, resultsTable, temporalCliVersion, type Results } from './report';
import { readBenchmarks, sectionOf, sectionsOfOthers } from './benchmarks-file';
import { runKnowledgeBench } from './knowledge-run';
import { KNOWLEDGE_HEADING, knowledgeMarkdown, knowledgeTables } from './knowledge-report';
import { runHttpBench, httpTable, type HttpBenchDeps } from './http';
import { runScaleOut, type ScaleOutDeps } from './scale-out';
import { scaleMarkdown, scaleTable } from './scale-report';
import { runMirrorLag } from './mirror-lag';
import { mirrorLagTable } from './mirror-lag-report';
import { runInFlightRss } from './in-flight-rss';
import { inFlightRssTable } from './in-flight-rss-report';
import { commandLine, CONCURRENCY, CONCURRENCY_ONLY, HTTP_ONLY, INPUT, KNOWLEDGE, ORG, OUT, progress, SCALE_ONLY, SHAPES, SYSTEM_NAMES } from './settings';
import { FANOUT_WIDTH } from './shapes';
import { BENCH_HTTP_EGRESS, withBenchStack } from './stack';
import { fmt } from './stats';
import { buildShapes, SHAPE_NAMES, SYSTEMS, systemsOf, type ShapeName, type ShapeSpec, type SystemName } from './systems';
import { runBenchEntry } from './entry';

/** The shapes BENCH_SHAPES names (all when unset); an unknown name stops the bench before anything starts. */
function selectedShapes(all: ShapeSpec[]): ShapeSpec[] {
  if (SHAPES.length === 0) return all;
  const unknown = SHAPES.filter((name) => !SHAPE_NAMES.includes(name as ShapeName));
  if (unknown.length > 0) throw new Error(`BENCH_SHAPES: unknown shape ${unknown.map((name) => JSON.stringify(name)).join(', ')} (shapes: ${SHAPE_NAMES.join(', ')})`);
  return all.filter((shape) => SHAPES.includes(shape.name));
}

/** BENCH_SYSTEMS names only known systems; an unknown one stops the bench before anything starts. */
function checkSystems(): void {
  const unknown = SYSTEM_NAMES.filter((name) => !SYSTEMS.some((system) => system.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_SYSTEMS: unknown system ${unknown.map((name) => JSON.stringify(name)).join(', ')} (systems: ${SYSTEMS.map((s) => s.name).join(', ')})`);
}

async function main(): Promise<void> {
  const began = performance.now();
  const allShapes = buildShapes();
  const shapes = selectedShapes(allShapes);
  checkSystems();
  const partial = shapes.length < allShapes.length || SYSTEM_NAMES.length > 0;
  await withBenchStack(async ({ bench, server, databaseUrl, counter, bundle, baselineOnlyBundle, guarded }) => {
    const { clientPool } = bench;
    const sequential = new Map<ShapeName, Map<SystemName, Sequential>>();
    const throughput = new Map<ShapeName, Map<SystemName, Throughput>>();
    const diagnostics = new Map<ShapeName, Map<SystemName, Diagnostic>>();
    const httpDeps: HttpBenchDeps = { engine: bench.engine, organizationId: ORG, activityDeps: { pool: bench.workerPool, logger: { info: () => undefined, warn: () => undefined, error: () => undefined }, http: BENCH_HTTP_EGRESS }, concurrency: CONCURRENCY, progress };
    const chain = allShapes.find((s) => s.name === 'chain')!;
    const scaleDeps: ScaleOutDeps = { temporal: bench.temporal, temporalAddress: server.address, databaseUrl, organizationId: ORG, graph: chain.graph, input: INPUT, expected: chain.expected, guarded, progress };
    if (SCALE_ONLY) {
      const scale = await runScaleOut(scaleDeps);
      process.stdout.write(`\n${scaleTable(scale)}\n\nThe section as BENCHMARKS.md would have it:\n\n${scaleMarkdown(scale, commandLine())}`);
      return;
    }
    if (HTTP_ONLY) {
      const http = await guarded(runHttpBench(httpDeps));
      process.stdout.write(`\n${httpTable(http)}\n`);
      return;
    }
    if (CONCURRENCY_ONLY) {
      const concurrency = await guarded(runConcurrencyBench({ engine: bench.engine, pool: clientPool, organizationId: ORG, progress }));
      process.stdout.write(`\n${concurrencyTable(concurrency)}\n`);
      return;
    }
    for (const shape of shapes) {
      const counts = planCounts(shape.plan);
      const perSystem = new Map<SystemName, Diagnostic>();
      if (shape.plan === 'large') {
        // Thousands of nodes each: a few executions one at a time, measured and counted at once.
        progress(`${shape.name}: ${counts.n} one at a time x ${systemsOf(shape).length} systems, SQL counted`);
        const seq = new Map<SystemName, Sequential>();
        const thr = new Map<SystemName, Throughput>();
        for (const { name } of systemsOf(shape)) {
          const measured = await guarded(diagnose(bench, counter, shape, name, counts.n));
          seq.set(name, sequentialOf(measured.samples, measured.workflowIds));
          thr.set(name, throughputOfSequential(seq.get(name)!));
          perSystem.set(name, measured);
          progress(`  ${shape.name}/${name}: median ${fmt(seq.get(name)!.median)} ms`);
        }
        sequential.set(shape.name, seq);
        throughput.set(shape.name, thr);
        diagnostics.set(shape.name, perSystem);
        continue;
      }
      progress(`${shape.name}: one at a time (${counts.warmup} warm-up + ${counts.n}) x ${systemsOf(shape).length} systems`);
      sequential.set(shape.name, await guarded(runSequential(bench, shape)));
      for (const [name, s] of sequential.get(shape.name)!) progress(`  ${shape.name}/${name}: median ${fmt(s.median)} ms, p99 ${fmt(s.p99)} ms`);
      progress(`${shape.name}: throughput (${counts.perRound * counts.rounds} at ${counts.concurrency} in flight, in ${counts.rounds} round(s))`);
      throughput.set(shape.name, await guarded(runThroughput(bench, shape)));
      for (const { name } of systemsOf(shape)) perSystem.set(name, await guarded(diagnose(bench, counter, shape, name)));
      diagnostics.set(shape.name, perSystem);
    }
    progress('replaying histories (workflow code alone)');
    const replay = new Map<ShapeName, ReplayCosts>();
    const bundles = { combined: bundle, baselineOnly: await baselineOnlyBundle };
    for (const shape of shapes) {
      const { replayBaseline } = shape;
      if (!replayBaseline || !shape.systems.includes('engine-raw') || !shape.systems.includes(replayBaseline)) continue;
      replay.set(shape.name, await guarded(measureReplay(bench, { ...shape, replayBaseline }, sequential.get(shape.name)!, bundles)));
    }
    if (partial) {
      const shown = { shapes, sequential, throughput, diagnostics, replay };
      const fast = fastNodesTable({ sequential, throughput });
      process.stdout.write(`\n${resultsTable(shown)}\n\n${ratiosTable(shown)}\n\n${perNodeTable(shown)}\n\n${perNodeSlopeTable(shown)}\n\n${diagnosticsTable(shown)}\n\n${replayTable(shown)}\n${fast ? `\n${fast}\n` : ''}`);
      progress(`BENCH_SHAPES=${SHAPES.join(',')} BENCH_SYSTEMS=${SYSTEM_NAMES.join(',')}: only these; BENCHMARKS.md untouched (${fmt((performance.now() - began) / 1000, 0)} s)`);
      return;
    }

    // The engine's mirror saw every node of the last execution complete.
    const lastEngine = sequential.get('fanout')!.get('engine')!.workflowIds.at(-1)!;
    const view = await bench.engine.status(ORG, lastEngine);
    const completedSteps = Object.values(view.steps).filter((s) => s.status === 'completed').length;
    if (completedSteps !== FANOUT_WIDTH + 2) throw new Error(`mirror of ${lastEngine} shows ${completedSteps} completed steps, expected ${FANOUT_WIDTH + 2}`);

    const concurrency = await guarded(runConcurrencyBench({ engine: bench.engine, pool: clientPool, organizationId: ORG, progress }));
    const http = await guarded(runHttpBench(httpDeps));
    const scale = await runScaleOut(scaleDeps);
    const mirrorLag = await runMirrorLag({ engine: bench.engine, temporal: bench.temporal, databaseUrl, organizationId: ORG, input: INPUT, guarded, progress });
    const inFlight = await runInFlightRss({ temporal: bench.temporal, temporalAddress: server.address, databaseUrl, organizationId: ORG, input: INPUT, guarded, progress });
    const knowledge = KNOWLEDGE ? await guarded(runKnowledgeBench({ engine: bench.engine, temporal: bench.temporal, pool: clientPool, organizationId: ORG, progress })) : undefined;

    const postgresVersion = await serverVersion(clientPool);
    const results: Results = { shapes, sequential, throughput, diagnostics, replay, concurrency, http, scale, mirrorLag, inFlight, machine: machine(temporalCliVersion(server.executable), postgresVersion), totalSeconds: (performance.now() - began) / 1000 };

    const report = markdown(results);
    process.stdout.write(`\n${resultsTable(results)}\n\n${ratiosTable(results)}\n\n${perNodeTable(results)}\n\n${perNodeSlopeTable(results)}\n\n${diagnosticsTable(results)}\n\n${replayTable(results)}\n\n${fastNodesTable(results)}\n\n${concurrencyTable(concurrency)}\n\n${httpTable(http)}\n\n${scaleTable(scale)}\n\n${mirrorLagTable(mirrorLag)}\n\n${inFlightRssTable(inFlight)}\n${knowledge ? `\n${knowledgeTables(knowledge)}\n` : ''}`);
    if (OUT !== '-') {
      const existing = readBenchmarks(OUT);
      // Left out (BENCH_KNOWLEDGE=0): the section of an earlier run stays.
      const knowledgeSection = knowledge ? knowledgeMarkdown(knowledge, commandLine(), results.machine) : sectionOf(existing, KNOWLEDGE_HEADING);
      writeFileSync(OUT, report + (knowledgeSection ? `\n${knowledgeSection}` : '') + sectionsOfOthers(existing));
      progress(`\nwrote ${OUT}`);
    }
  });
}

runBenchEntry(main);
