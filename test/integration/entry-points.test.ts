/**
 * The production entry points as an operator runs them: `npm run api` and `npm run worker`
 * in their own process group against the shared test Temporal and a database of their own.
 * SIGINT to the group (Ctrl-C in a terminal) or SIGTERM to npm alone (a container runtime or
 * systemd stopping its main process) stops them cleanly with exit 0; what they cannot reach at
 * start ends them with exit 1 and one line on stderr, never a stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestDatabase, startTestEngine, type TestEngine } from '../helpers/engine';
import { freePort } from '../helpers/free-port';
import { graphId } from '../helpers/graphs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Running {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the first stdout text matching `pattern`; rejects if the process ends first. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];

/** `npm run <script>` with only the environment given, in a process group of its own. */
function npmRun(script: string, env: Record<string, string>): Running {
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started: Running = {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitForStdout: (pattern, timeoutMs = 90_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm run ${script}: no ${pattern} on stdout within ${timeoutMs} ms\n${stdout}\n${stderr}`)), timeoutMs);
        const check = (): void => {
          if (!pattern.test(stdout)) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout!.on('data', check);
        check();
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`npm run ${script} exited ${code} before printing ${pattern}\n${stdout}\n${stderr}`));
        });
      }),
  };
  running.push(started);
  return started;
}

/** What a terminal's Ctrl-C does: SIGINT to every process of the foreground group. */
function ctrlC(started: Running): void {
  process.kill(-started.child.pid!, 'SIGINT');
}

afterEach(async () => {
  for (const started of running.splice(0)) {
    if (started.child.exitCode === null && started.child.signalCode === null) {
      try {
        process.kill(-started.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await started.exited;
    }
  }
});

/** A database that exists but has never been migrated. */
async function emptyDatabase(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** A port nothing listens on. */
const closedPort = freePort;

const oneLineOnStderr = (stderr: string, prefix: string): void => {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${prefix}: `));
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
};

describe('npm run api', () => {
  test('serves /health against Temporal and PostgreSQL, and Ctrl-C stops it with exit 0', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const api = npmRun('api', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: await createTestDatabase(), WF_API_PORT: String(port), WF_TASK_QUEUE: 'entry-api', LOG_LEVEL: 'warn' });
    await api.waitForStdout(new RegExp(`HTTP API: http://127\\.0\\.0\\.1:${port}/api/v1`));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', temporal: 'up', postgres: 'up' });

    ctrlC(api);
    expect(await api.exited, api.output().stderr).toEqual({ code: 0, signal: null });
    expect(api.output().stderr).toBe('');
  });

  test('WF_METRICS_PORT: every organization on 127.0.0.1 without a key, closed with the API', { timeout: 120_000 }, async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const databaseUrl = await createTestDatabase();
    // Two organizations' slots, written straight to the mirror.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    for (const org of ['entry-one', 'entry-two']) {
      await db.query('INSERT INTO organizations (id, name) VALUES ($1, $1)', [org]);
      await db.query("INSERT INTO executions (id, organization_id, graph_id, graph_version, status, workflow_id, concurrency_key) VALUES ($1, $2, 'g', 1, 'running', $1, $3)", [`exec-${org}`, org, `key-${org}`]);
    }
    await db.end();
    const api = npmRun('api', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: databaseUrl, WF_API_PORT: String(port), WF_METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await api.waitForStdout(new RegExp(`Metrics: +${metricsUrl.replace(/\./g, '\\.')} `));
    const scrape = await fetch(metricsUrl);
    expect(scrape.status).toBe(200);
    const body = await scrape.text();
    for (const org of ['entry-one', 'entry-two']) expect(body).toContain(`wf_concurrency_slots{organization="${org}",key="key-${org}",state="active"} 1`);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);

    ctrlC(api);
    expect(await api.exited, api.output().stderr).toEqual({ code: 0, signal: null });
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });

  test('exits 1 with one line when PostgreSQL cannot be reached', { timeout: 60_000 }, async () => {
    const api = npmRun('api', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: `postgres://wf:s3cret@127.0.0.1:${await closedPort()}/wf`, WF_API_PORT: String(await freePort()) });
    expect(await api.exited).toEqual({ code: 1, signal: null });
    const { stderr } = api.output();
    oneLineOnStderr(stderr, 'npm run api');
    expect(stderr).toContain('PostgreSQL is unreachable at postgres://wf:***@127.0.0.1:');
    expect(stderr).not.toContain('s3cret');
  });

  test('exits 1 with one line when the database has not been migrated', { timeout: 60_000 }, async () => {
    const api = npmRun('api', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: await emptyDatabase(), WF_API_PORT: String(await freePort()) });
    expect(await api.exited).toEqual({ code: 1, signal: null });
    oneLineOnStderr(api.output().stderr, 'npm run api');
    expect(api.output().stderr).toContain('has no engine schema: apply the migrations first (npm run migrate)');
  });

  test('exits 1 with one line naming a variable set to something it cannot be', { timeout: 60_000 }, async () => {
    const api = npmRun('api', { WF_API_PORT: 'eighty' });
    expect(await api.exited).toEqual({ code: 1, signal: null });
    oneLineOnStderr(api.output().stderr, 'npm run api');
    expect(api.output().stderr).toContain('WF_API_PORT must be a TCP port (1-65535), got "eighty"');
  });
});

describe('npm run worker', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ worker: false });
  });
  afterAll(async () => engine?.stop());

  test('runs executions from its task queue, and SIGTERM to npm stops it with exit 0', { timeout: 150_000 }, async () => {
    const worker = npmRun('worker', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, LOG_LEVEL: 'warn' });
    const graph = { id: graphId('entry-worker'), version: 1, nodes: [{ id: 'double', type: 'mock', config: { output: { n: { $expr: 'input.n * 2' } } } }] };
    const started = await engine.client.start({ organizationId: 'default', graph, input: { n: 21 } });
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view).toMatchObject({ status: 'completed', output: { n: 42 } });
    expect(view.steps.double).toMatchObject({ status: 'completed', attempts: 1 });

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output().stderr).toEqual({ code: 0, signal: null });
  });

  test('Ctrl-C while it starts stops it with exit 0', { timeout: 150_000 }, async () => {
    const worker = npmRun('worker', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: `${engine.taskQueue}-early`, LOG_LEVEL: 'info' });
    // Bundling the workflows takes seconds: the signal arrives before the worker runs.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (worker.output().stderr.includes('worker starting')) {
          clearInterval(timer);
          resolve();
        } else if (worker.child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the worker exited early:\n${worker.output().stderr}`));
        }
      }, 50);
    });
    ctrlC(worker);
    expect(await worker.exited, worker.output().stderr).toEqual({ code: 0, signal: null });
  });

  test('exits 1 with one line when Temporal cannot be reached', { timeout: 60_000 }, async () => {
    const worker = npmRun('worker', { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, DATABASE_URL: engine.databaseUrl, LOG_LEVEL: 'warn' });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    oneLineOnStderr(worker.output().stderr, 'npm run worker');
    expect(worker.output().stderr).toContain('Temporal is unreachable at 127.0.0.1:');
  });
});

describe('npm run migrate', () => {
  test('migrates, checks the search attributes and prints the first admin key once; a second run changes nothing', { timeout: 120_000 }, async () => {
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: await emptyDatabase(), LOG_LEVEL: 'warn' };
    const first = npmRun('migrate', env);
    expect(await first.exited, first.output().stderr).toEqual({ code: 0, signal: null });
    expect(first.output().stdout).toMatch(/migrations applied: 001_mirror, 002_dead_letters/);
    expect(first.output().stdout).toMatch(/search attributes (present|registered)/);
    const key = /Admin API key for organization default \(shown once, store it\): (wfk_\S+)/.exec(first.output().stdout)?.[1];
    expect(key).toBeDefined();

    const again = npmRun('migrate', env);
    expect(await again.exited, again.output().stderr).toEqual({ code: 0, signal: null });
    expect(again.output().stdout).toContain('migrations up to date');
    expect(again.output().stdout).toContain('organization "default" has its keys');
    expect(again.output().stdout).not.toContain('wfk_');

    // The API now starts against it, and the printed key works.
    const port = await freePort();
    const api = npmRun('api', { ...env, WF_API_PORT: String(port) });
    await api.waitForStdout(/HTTP API: /);
    const graphs = await fetch(`http://127.0.0.1:${port}/api/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(graphs.status).toBe(200);
    ctrlC(api);
    await api.exited;
  });

  test('exits 1 with one line when PostgreSQL cannot be reached, the password left out', { timeout: 60_000 }, async () => {
    const migrate = npmRun('migrate', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: `postgres://wf:s3cret@127.0.0.1:${await closedPort()}/wf` });
    expect(await migrate.exited).toEqual({ code: 1, signal: null });
    oneLineOnStderr(migrate.output().stderr, 'npm run migrate');
    expect(migrate.output().stderr).toContain('PostgreSQL is unreachable at postgres://wf:***@127.0.0.1:');
    expect(migrate.output().stderr).not.toContain('s3cret');
  });

  test('exits 1 with one line when Temporal cannot be reached', { timeout: 60_000 }, async () => {
    const migrate = npmRun('migrate', { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, DATABASE_URL: await emptyDatabase() });
    expect(await migrate.exited).toEqual({ code: 1, signal: null });
    oneLineOnStderr(migrate.output().stderr, 'npm run migrate');
    expect(migrate.output().stderr).toContain('Temporal is unreachable at 127.0.0.1:');
  });
});
