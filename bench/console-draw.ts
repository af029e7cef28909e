/**
 * `npm run bench:console`: how long the console takes to draw an execution's graph, in the
 * headless Chromium the console tests use (test/helpers/browser.ts).
 *
 * On the bench's stack (bench/stack.ts) with the API serving the built console (dist/console,
 * from `npm run build`): for each size in BENCH_CONSOLE_SIZES (default 50,200,500 nodes) one
 * execution of the layered graph of test/helpers/wide-graphs.ts runs to its end, then a signed-in
 * tab opens its page BENCH_CONSOLE_RUNS times (default 10; the first, which also warms the
 * browser's cache, is not counted). Two figures per open: from the navigation to every node
 * drawn with its status ("from navigation": the page, the app, the API calls, the layout and
 * the SVG), and the page's own `data-drawn-ms` (ELK's layout in its worker plus building the
 * SVG). Only the Console section of BENCHMARKS.md is rewritten (BENCH_OUT as in bench/run.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApi } from '../src/api/app';
import { createApiKey } from '../src/client/keys';
import { serverVersion } from '../src/store/server-version';
import { launchBrowser } from '../test/helpers/browser';
import { layeredGraph } from '../test/helpers/wide-graphs';
import { CLI_STARTUP_HEADING, CONSOLE_HEADING, readBenchmarks, withSection } from './benchmarks-file';
import { runBenchEntry } from './entry';
import { intEnv } from './env';
import { machine, temporalCliVersion } from './report';
import { commandLine, ORG, OUT, progress } from './settings';
import { withBenchStack, type BenchStack } from './stack';
import { percentile } from './stats';

const KNOBS = ['BENCH_CONSOLE_SIZES', 'BENCH_CONSOLE_RUNS', 'BENCH_STOCK_DEV_SERVER'];
const CONSOLE_DIR = fileURLToPath(new URL('../dist/console', import.meta.url));
const SIZES = (process.env.BENCH_CONSOLE_SIZES ?? '50,200,500').split(',').map((size) => Number(size.trim()));
const RUNS = intEnv('BENCH_CONSOLE_RUNS', 10);
/** The layered graph's width, as in the console test's 200-node graph. */
const WIDTH = 10;
const WAIT = { timeout: 60_000 };

interface SizeResult {
  nodes: number;
  edges: number;
  fromNavigationMs: number[];
  layoutMs: number[];
}

async function measureSize(stack: BenchStack, browser: Browser, baseUrl: string, apiKey: string, nodes: number): Promise<SizeResult> {
  const { graph } = layeredGraph(nodes, WIDTH);
  const { executionId } = await stack.guarded(stack.bench.engine.start({ organizationId: ORG, graph: { version: 1, id: `console-bench-${nodes}`, ...graph } as never, input: { d: 0 } }));
  await stack.guarded(stack.bench.engine.waitForEnd(ORG, executionId));
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console/executions`);
    await page.fill('#api-key', apiKey);
    await page.click('#sign-in');
    await page.waitForSelector('#who', WAIT);
    const result: SizeResult = { nodes, edges: graph.edges.length, fromNavigationMs: [], layoutMs: [] };
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now();
      await page.goto(`${baseUrl}/console/executions/${executionId}`);
      await page.waitForSelector('#graph[data-drawn-ms]', WAIT);
      // Drawn means every node in place with its status from the mirror, not only the layout.
      await page.waitForFunction(`document.querySelectorAll('svg.graph [data-node-id][data-status="completed"]').length === ${nodes}`, undefined, WAIT);
      const elapsed = performance.now() - started;
      const layout = Number(await page.getAttribute('#graph', 'data-drawn-ms'));
      if (run === 0) continue; // the first open fills the browser's cache
      result.fromNavigationMs.push(elapsed);
      result.layoutMs.push(layout);
      progress(`${nodes} nodes, open ${run}/${RUNS}: ${elapsed.toFixed(0)} ms from navigation, ${layout} ms layout and SVG`);
    }
    return result;
  } finally {
    await context.close();
  }
}

const ms = (value: number): string => value.toFixed(0);

function table(results: SizeResult[]): string {
  const rows = results.map((r) => `| ${r.nodes} | ${r.edges} | ${ms(percentile(r.fromNavigationMs, 50))} | ${ms(Math.max(...r.fromNavigationMs))} | ${ms(percentile(r.layoutMs, 50))} | ${ms(Math.max(...r.layoutMs))} |`);
  return ['| nodes | edges | from navigation, p50 ms | max ms | layout and SVG, p50 ms | max ms |', '| ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

function section(results: SizeResult[], command: string, machineFacts: Record<string, string>): string {
  return [
    CONSOLE_HEADING,
    '',
    'How long the console (/console, DESIGN §13) takes to draw an execution of a layered graph',
    `(test/helpers/wide-graphs.ts, layers of ${WIDTH}) in headless Chromium (Debian's, through playwright-core,`,
    'viewport 1440x900), on the bench stack with the API serving the built console. Per size: one',
    `completed execution, its page opened ${RUNS} times in a signed-in tab after one uncounted open.`,
    '"From navigation": `page.goto` of the execution page until every node is drawn with its',
    'status from the mirror (page, app, API calls, layout, SVG). "Layout and SVG": the page\'s own',
    '`data-drawn-ms` (ELK layered layout in its web worker, then the SVG). Target (issue 16): a',
    '200-node graph draws in under 2 s.',
    '',
    `- Command: \`${command}\` (bench/console-draw.ts; needs \`npm run build\`); not run by \`npm run bench\`.`,
    `- Machine: ${Object.entries(machineFacts).map(([k, v]) => `${k} ${v}`).join('; ')}; load average at the end ${loadavg().map((n) => n.toFixed(1)).join(' / ')}.`,
    '',
    table(results),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(`${CONSOLE_DIR}/index.html`)) throw new Error('the console is not built: run `npm run build` first');
  if (SIZES.some((size) => !Number.isInteger(size) || size < 3)) throw new Error(`BENCH_CONSOLE_SIZES must list node counts of at least 3, got ${process.env.BENCH_CONSOLE_SIZES}`);
  await withBenchStack(async (stack) => {
    await stack.baselineOnlyBundle.catch(() => undefined); // not needed here; let it finish before anything is timed
    const pool = stack.bench.clientPool;
    await pool.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [ORG]);
    const { apiKey } = await createApiKey(pool, ORG, 'viewer', 'console bench');
    let api: FastifyInstance | undefined;
    let browser: Browser | undefined;
    try {
      api = await buildApi({ client: stack.bench.engine, pool }, { consoleDir: CONSOLE_DIR });
      await api.listen({ host: '127.0.0.1', port: 0 });
      const address = api.server.address();
      if (!address || typeof address === 'string') throw new Error('the API has no address');
      browser = await launchBrowser();
      const results: SizeResult[] = [];
      for (const size of SIZES) results.push(await measureSize(stack, browser, `http://127.0.0.1:${address.port}`, apiKey, size));
      process.stdout.write(`\n${table(results)}\n`);
      if (OUT === '-') return;
      const facts = machine(temporalCliVersion(stack.server.executable), await serverVersion(pool));
      writeFileSync(OUT, withSection(readBenchmarks(OUT), CONSOLE_HEADING, section(results, commandLine('npm run bench:console', KNOBS), facts), CLI_STARTUP_HEADING));
      progress(`\nwrote the ${CONSOLE_HEADING.slice(3)} section of ${OUT}`);
    } finally {
      await browser?.close();
      await api?.close();
    }
  });
}

runBenchEntry(main);
