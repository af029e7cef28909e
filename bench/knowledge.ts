/**
 * `npm run bench:knowledge`: only the knowledge part of the benchmark (bench/knowledge-run.ts
 * has what it measures and its knobs), on the bench's own stack (bench/stack.ts), and only the
 * Knowledge section of BENCHMARKS.md rewritten (BENCH_OUT as in bench/run.ts; "-" for none).
 */
import { writeFileSync } from 'node:fs';
import { serverVersion } from '../src/store/server-version';
import { OTHER_BENCHMARK_HEADINGS, readBenchmarks, withSection } from './benchmarks-file';
import { KNOWLEDGE_HEADING, knowledgeMarkdown, knowledgeTables } from './knowledge-report';
import { runKnowledgeBench } from './knowledge-run';
import { machine, temporalCliVersion } from './report';
import { commandLine, KNOWLEDGE_ONLY_ENV_KNOBS, ORG, OUT, progress } from './settings';
import { withBenchStack } from './stack';
import { runBenchEntry } from './entry';

/** Where the section goes in a file that has none yet: before the other benchmarks' ones, as `npm run bench` puts it. */
const NEXT_SECTION = OTHER_BENCHMARK_HEADINGS;

async function main(): Promise<void> {
  await withBenchStack(async ({ bench, server, baselineOnlyBundle, guarded }) => {
    // The stack bundles the baseline for the replay diagnostics: not needed here, but let it finish before anything is timed.
    await baselineOnlyBundle.catch(() => undefined);
    const results = await guarded(runKnowledgeBench({ engine: bench.engine, temporal: bench.temporal, pool: bench.clientPool, organizationId: ORG, progress }));
    process.stdout.write(`\n${knowledgeTables(results)}\n`);
    if (OUT === '-') return;
    const section = knowledgeMarkdown(results, commandLine('npm run bench:knowledge', KNOWLEDGE_ONLY_ENV_KNOBS), machine(temporalCliVersion(server.executable), await serverVersion(bench.clientPool)));
    writeFileSync(OUT, withSection(readBenchmarks(OUT), KNOWLEDGE_HEADING, section, NEXT_SECTION));
    progress(`\nwrote the ${KNOWLEDGE_HEADING.slice(3)} section of ${OUT}`);
  });
}

runBenchEntry(main);
