/**
 * `npx tsx bench/lag-rss-only.ts`: only the mirror-lag (bench/mirror-lag.ts) and in-flight RSS
 * (bench/in-flight-rss.ts) measurements, on a bench stack of their own; prints their tables and
 * the sections BENCHMARKS.md would have (the file is left alone). BENCH_LAG_RSS_PARTS (comma
 * list of lag, rss; default both) runs only some of them.
 */
import { inFlightRssMarkdown } from './in-flight-rss-report';
import { IN_FLIGHT_ENV_KNOBS, runInFlightRss } from './in-flight-rss';
import { MIRROR_LAG_ENV_KNOBS, runMirrorLag } from './mirror-lag';
import { mirrorLagMarkdown } from './mirror-lag-report';
import { INPUT, ORG, progress } from './settings';
import { withBenchStack } from './stack';
import { runBenchEntry } from './entry';

const PARTS = (process.env.BENCH_LAG_RSS_PARTS ?? 'lag,rss').split(',').map((part) => part.trim());
const unknown = PARTS.filter((part) => part !== 'lag' && part !== 'rss');
if (unknown.length > 0) throw new Error(`BENCH_LAG_RSS_PARTS: unknown part ${unknown.join(', ')} (parts: lag, rss)`);

function command(): string {
  const set = ['BENCH_LAG_RSS_PARTS', ...MIRROR_LAG_ENV_KNOBS, ...IN_FLIGHT_ENV_KNOBS].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return [...set, 'npx tsx bench/lag-rss-only.ts'].join(' ');
}

async function main(): Promise<void> {
  await withBenchStack(async ({ bench, server, databaseUrl, guarded }) => {
    if (PARTS.includes('lag')) {
      const lag = await runMirrorLag({ engine: bench.engine, temporal: bench.temporal, databaseUrl, organizationId: ORG, input: INPUT, guarded, progress });
      process.stdout.write(`\n${mirrorLagMarkdown(lag, command())}\n`);
    }
    if (PARTS.includes('rss')) {
      const rss = await runInFlightRss({ temporal: bench.temporal, temporalAddress: server.address, databaseUrl, organizationId: ORG, input: INPUT, guarded, progress });
      process.stdout.write(`\n${inFlightRssMarkdown(rss, command())}\n`);
    }
  });
}

runBenchEntry(main);
