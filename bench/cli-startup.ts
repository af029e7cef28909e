/**
 * `npm run bench:cli`: how long `wf` takes to start and finish, as a user runs it.
 *
 * Starts a Temporal CLI dev server (in memory) and an embedded PostgreSQL on free 127.0.0.1
 * ports, migrates, runs one execution of examples/hello.json with an in-process worker, stops
 * the worker, then times each command BENCH_CLI_RUNS times (default 10), the commands
 * interleaved round by round so that a change in machine load hits all of them alike; prints
 * the median and the spread as a Markdown table (for BENCHMARKS.md, "CLI start-up").
 *
 * BENCH_CLI_BEFORE=DIR adds the same commands run from another checkout of this repository
 * (e.g. `git worktree add` or `git archive` of an older commit, with node_modules linked), to
 * compare before and after on the same machine in the same run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectEngineClient } from '../src/client';
import { type EngineConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/free-port';
import { startDevServer } from '../src/stack/temporal-server';
import { migrate } from '../src/store/migrate';
import { createPool } from '../src/store/pool';
import { connectEngineWorker } from '../src/worker';
import { intEnv } from './env';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = intEnv('BENCH_CLI_RUNS', 10);
const BEFORE = process.env.BENCH_CLI_BEFORE;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Variant {
  label: string;
  command: string[];
  cwd: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timeOnce(variant: Variant, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(variant.command[0]!, variant.command.slice(1), { cwd: variant.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${variant.label} exited ${result.status}: ${result.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'wf-bench-cli-'));
  // Postgres runs as its own system user when we are root: it must be able to reach its dir.
  chmodSync(workDir, 0o755);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer();
  try {
    const postgres = await startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port: await freePort(), database: 'wf_bench_cli', ephemeral: true });
    try {
      await migrate(postgres.url);
      const config: EngineConfig = { temporalAddress: server.address, temporalNamespace: 'default', databaseUrl: postgres.url, taskQueue: 'bench-cli', organizationId: 'default' };
      const executionId = await oneExecution(config);
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: config.temporalAddress, DATABASE_URL: config.databaseUrl, WF_TASK_QUEUE: config.taskQueue };
      const variants = commands(ROOT, '');
      if (BEFORE) variants.push(...commands(BEFORE, 'before: '));
      variants.push({ label: 'reference: `node -e 0`', command: ['node', '-e', '0'], cwd: ROOT }, { label: 'reference: `npx -c true` (npx alone)', command: ['npx', '-c', 'true'], cwd: ROOT });
      for (const variant of variants) variant.command = variant.command.map((part) => (part === 'ID' ? executionId : part));
      const times = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
      for (const variant of variants) timeOnce(variant, env); // warm the file cache
      for (let round = 0; round < RUNS; round++) {
        for (const variant of variants) times.get(variant)!.push(timeOnce(variant, env));
        process.stderr.write(`round ${round + 1}/${RUNS}\n`);
      }
      const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
      process.stdout.write(`\nMachine: ${cpus().length} cores (${cpu}), Node ${process.version}; load average at the end ${loadavg().map((n) => n.toFixed(1)).join(' / ')}; ${RUNS} runs each, interleaved.\n\n`);
      process.stdout.write('| command | median s | min s | max s |\n| --- | ---: | ---: | ---: |\n');
      for (const [variant, values] of times) {
        process.stdout.write(`| ${variant.label} | ${(median(values) / 1000).toFixed(2)} | ${(Math.min(...values) / 1000).toFixed(2)} | ${(Math.max(...values) / 1000).toFixed(2)} |\n`);
      }
    } finally {
      await postgres.stop();
    }
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function commands(dir: string, prefix: string): Variant[] {
  const bin = join(dir, 'bin/wf.js');
  return [
    { label: `${prefix}\`npx wf --help\``, command: ['npx', 'wf', '--help'], cwd: dir },
    { label: `${prefix}\`node bin/wf.js --help\``, command: ['node', bin, '--help'], cwd: dir },
    { label: `${prefix}\`npx wf status ID\``, command: ['npx', 'wf', 'status', 'ID'], cwd: dir },
    { label: `${prefix}\`node bin/wf.js status ID\``, command: ['node', bin, 'status', 'ID'], cwd: dir },
    { label: `${prefix}\`node bin/wf.js validate examples/hello.json\``, command: ['node', bin, 'validate', join(dir, 'examples/hello.json')], cwd: dir },
  ];
}

/** One completed execution of examples/hello.json, for `wf status`. */
async function oneExecution(config: EngineConfig): Promise<string> {
  const pool = createPool(config.databaseUrl);
  const { worker, close } = await connectEngineWorker(config, { pool, logger: silent });
  const running = worker.run();
  const { client, close: closeClient } = await connectEngineClient(config);
  try {
    const graph = JSON.parse(readFileSync(join(ROOT, 'examples/hello.json'), 'utf8'));
    const started = await client.start({ organizationId: 'default', graph, input: { n: 7 } });
    const view = await client.waitForEnd('default', started.executionId);
    if (view.status !== 'completed') throw new Error(`the execution ended ${view.status}`);
    return started.executionId;
  } finally {
    await closeClient();
    worker.shutdown();
    await running;
    await close();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cli: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
