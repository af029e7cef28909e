/**
 * The secrets key as the entry points take it: `npm start` generates `.data/secrets.key`
 * (mode 0600) on its first start and seals what its API stores with it, WF_SECRETS_KEY wins
 * over the file; `npm run api` and `npm run worker` read WF_SECRETS_KEY and refuse a bad one
 * at start with one line naming it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import { createSecretLookup } from '../../src/secrets/postgres-secret-lookup';
import { createPool } from '../../src/store/pool';
import { createTestDatabase } from '../helpers/engine';
import { freePort } from '../helpers/free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}
const started: Started[] = [];

/** `npm run <script>` with only the environment given, in a process group of its own. */
function npmRun(script: string, env: Record<string, string>): Started {
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const run: Started = { child, stdout: () => stdout, stderr: () => stderr, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  started.push(run);
  return run;
}

async function waitForStdout(run: Started, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.stdout())) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} on stdout\n${run.stdout()}\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(-run.child.pid!, 'SIGKILL');
      await run.exited;
    }
  }
});

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-stack-data-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm start` against the shared test Temporal and `databaseUrl`, until Ready; returns its API and admin key. */
async function startStack(databaseUrl: string, env: Record<string, string> = {}): Promise<{ run: Started; url: string }> {
  const port = await freePort();
  const run = npmRun('start', { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: databaseUrl, WF_DATA_DIR: dataDir, WF_API_PORT: String(port), WF_TASK_QUEUE: 'secrets-stack', LOG_LEVEL: 'warn', ...env });
  await waitForStdout(run, /Ready\./);
  return { run, url: `http://127.0.0.1:${port}` };
}

async function putSecret(url: string, adminKey: string, name: string, value: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/secrets/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
  return response.status;
}

async function stop(run: Started): Promise<void> {
  process.kill(-run.child.pid!, 'SIGINT');
  expect(await run.exited, run.stderr()).toBe(0);
}

describe('npm start', () => {
  test('generates .data/secrets.key (0600) on first start and seals with it; WF_SECRETS_KEY wins over the file', { timeout: 300_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const pool = createPool(databaseUrl, 2);
    try {
      const first = await startStack(databaseUrl);
      const keyPath = join(dataDir, 'secrets.key');
      expect(first.run.stdout()).toContain(`Secrets:    new key generated into ${keyPath}`);
      expect(statSync(keyPath).mode & 0o777).toBe(0o600);
      const fileCipher = new SecretCipher(parseSecretsKey(readFileSync(keyPath, 'utf8').trim(), keyPath));
      const adminKey = /Admin API key for organization default \(shown once, store it\): (\S+)/.exec(first.run.stdout())![1];
      expect(await putSecret(first.url, adminKey, 'stack.secret', 'stack-value-1')).toBe(201);
      expect(await createSecretLookup(pool, fileCipher).value('default', 'stack.secret')).toBe('stack-value-1');
      await stop(first.run);

      const envKey = generateSecretsKey();
      const second = await startStack(databaseUrl, { WF_SECRETS_KEY: envKey, WF_SECRETS_KEY_PREVIOUS: readFileSync(keyPath, 'utf8').trim() });
      expect(second.run.stdout()).toContain('Secrets:    key from WF_SECRETS_KEY');
      expect(await putSecret(second.url, adminKey, 'stack.secret', 'stack-value-2')).toBe(200);
      const { rows } = await pool.query<{ sealed_value: string }>("SELECT sealed_value FROM secrets WHERE name = 'stack.secret'");
      expect(rows[0].sealed_value.startsWith(`v1:${parseSecretsKey(envKey, 'x').id}:`)).toBe(true);
      await stop(second.run);
      // WF_SECRETS_KEY did not replace the file's key.
      expect(new SecretCipher(parseSecretsKey(readFileSync(keyPath, 'utf8').trim(), keyPath)).currentKeyId).toBe(fileCipher.currentKeyId);
    } finally {
      await pool.end();
    }
  });
});

describe('npm run api and npm run worker', () => {
  test.each(['api', 'worker'])('npm run %s refuses a bad WF_SECRETS_KEY with one line naming it', { timeout: 60_000 }, async (script) => {
    const run = npmRun(script, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: await createTestDatabase(), WF_SECRETS_KEY: 'not-a-real-key', WF_API_PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toEqual([`npm run ${script}: WF_SECRETS_KEY must be the base64 of 32 random bytes (make one with: openssl rand -base64 32)`]);
  });
});
