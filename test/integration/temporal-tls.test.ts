/**
 * Every process connects to Temporal by Temporal's conventions (DESIGN §15): through a
 * TLS-terminating proxy in front of the test's dev server (server TLS, then mutual TLS), an
 * h2c proxy that records the API key, and a TOML profile. The worker, the client SDK and
 * `wf run` (bin/wf.js: run `npm run build` first) load their connection the same way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { connectEngineClient } from '../../src/client';
import { loadConfig, loadWorkerConfig } from '../../src/config';
import { connectEngineWorker } from '../../src/worker';
import { silentLogger, startTestEngine, type TestEngine } from '../helpers/engine';
import { startRecordingProxy, type RecordingProxy } from '../helpers/h2-recording-proxy';
import { makeTestCertificates, type TestCertificates } from '../../scripts/tls-proxy/certificates';
import { startTlsProxy, type TlsProxy } from '../../scripts/tls-proxy/proxy';
import { runWf } from '../helpers/wf-cli';

const HELLO = fileURLToPath(new URL('../../examples/hello.json', import.meta.url));

let engine: TestEngine;
let certs: TestCertificates;
let tlsProxy: TlsProxy;
let mtlsProxy: TlsProxy;
let recording: RecordingProxy;
let home: string;
let worker: { worker: Worker; running: Promise<void>; close(): Promise<void> } | undefined;

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  certs = makeTestCertificates();
  const serverPair = { cert: certs.read(certs.serverCertPath), key: certs.read(certs.serverKeyPath) };
  tlsProxy = await startTlsProxy({ target: inject('temporalAddress'), ...serverPair });
  mtlsProxy = await startTlsProxy({ target: inject('temporalAddress'), ...serverPair, clientCa: certs.read(certs.caCertPath) });
  recording = await startRecordingProxy(inject('temporalAddress'));
  // No ~/.config/temporalio/temporal.toml of the machine's user in these processes.
  home = mkdtempSync(join(tmpdir(), 'wf-tls-home-'));
});

afterAll(async () => {
  if (worker) {
    worker.worker.shutdown();
    await worker.running.catch(() => undefined);
    await worker.close();
  }
  await Promise.allSettled([tlsProxy?.close(), mtlsProxy?.close(), recording?.close()]);
  await engine?.stop();
  certs?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** What every process of these tests gets: its database and task queue, no user config file. */
function baseEnv(): Record<string, string> {
  return { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_SECRETS_KEY: engine.secretsKey! };
}

function serverTlsEnv(address: string): Record<string, string> {
  return { ...baseEnv(), TEMPORAL_ADDRESS: address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCertPath, TEMPORAL_TLS_SERVER_NAME: 'localhost' };
}

function expectCompleted(result: { code: number; stdout: string; stderr: string }): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ status: 'completed', output: expect.anything() });
}

function expectOneLineTlsError(result: { code: number; stdout: string; stderr: string }, mentions: RegExp): void {
  expect(result.code).toBe(3);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^wf: TLS handshake with Temporal at 127\.0\.0\.1:\d+ failed: /);
  expect(lines[0]).toMatch(mentions);
  expect(result.stderr).not.toMatch(/\n\s+at\s/);
}

describe('server TLS', () => {
  test('a worker, the client SDK and wf run complete executions through the TLS proxy', async () => {
    const config = loadWorkerConfig(serverTlsEnv(tlsProxy.address));
    expect(config.temporalSecurity?.tls).toMatchObject({ serverNameOverride: 'localhost' });
    const connected = await connectEngineWorker(config, { pool: engine.pool, logger: silentLogger, secretCipher: engine.secretCipher }, { workflowBundle: { codePath: inject('workflowBundlePath') } });
    worker = { ...connected, running: connected.worker.run() };
    const accepted = tlsProxy.accepted;

    const { client, close } = await connectEngineClient(loadConfig(serverTlsEnv(tlsProxy.address)));
    try {
      const started = await client.start({ organizationId: 'default', graph: { id: 'tls-client', version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { ok: true } } }] } });
      expect(await client.waitForEnd('default', started.executionId)).toMatchObject({ status: 'completed', output: { ok: true } });
    } finally {
      await close();
    }
    expectCompleted(await runWf(['run', HELLO, '--json'], serverTlsEnv(tlsProxy.address)));
    // The client and wf each opened their own TLS connection through the proxy.
    expect(tlsProxy.accepted).toBeGreaterThanOrEqual(accepted + 2);
  });

  test('an unknown CA: wf exits 3 naming TEMPORAL_TLS_SERVER_CA_CERT_PATH|DATA; the worker refuses to start saying so', async () => {
    const env = { ...serverTlsEnv(tlsProxy.address), TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.otherCaCertPath };
    expectOneLineTlsError(await runWf(['run', HELLO, '--json'], env), /not signed by a trusted CA .*TEMPORAL_TLS_SERVER_CA_CERT_PATH\|DATA/);
    await expect(connectEngineWorker(loadWorkerConfig(env), { pool: engine.pool, logger: silentLogger })).rejects.toThrow(/^TLS handshake with Temporal at .* failed: the server's certificate is not signed by a trusted CA/);
  });

  test('a server name the certificate is not for: wf names TEMPORAL_TLS_SERVER_NAME', async () => {
    expectOneLineTlsError(await runWf(['status', 'x', '--json'], { ...serverTlsEnv(tlsProxy.address), TEMPORAL_TLS_SERVER_NAME: 'temporal.example' }), /not valid for "temporal\.example".*TEMPORAL_TLS_SERVER_NAME/);
  });

  test('TLS towards a plaintext server: wf says the server did not answer in TLS', async () => {
    expectOneLineTlsError(await runWf(['status', 'x', '--json'], serverTlsEnv(inject('temporalAddress'))), /did not answer in TLS .*TEMPORAL_TLS=false/);
  });
});

describe('mutual TLS', () => {
  test('with TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH wf run completes', async () => {
    const accepted = mtlsProxy.accepted;
    const env = { ...serverTlsEnv(mtlsProxy.address), TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertPath, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKeyPath };
    expectCompleted(await runWf(['run', HELLO, '--json'], env));
    expect(mtlsProxy.accepted).toBeGreaterThan(accepted);
  });

  test('without a client certificate wf exits 3 naming the client certificate variables, and so does the worker', async () => {
    const accepted = mtlsProxy.accepted;
    const env = serverTlsEnv(mtlsProxy.address);
    expectOneLineTlsError(await runWf(['run', HELLO, '--json'], env), /client certificate .*TEMPORAL_TLS_CLIENT_CERT_PATH\|DATA and TEMPORAL_TLS_CLIENT_KEY_PATH\|DATA/);
    await expect(connectEngineWorker(loadWorkerConfig(env), { pool: engine.pool, logger: silentLogger })).rejects.toThrow(/client certificate .*TEMPORAL_TLS_CLIENT_CERT_PATH/);
    expect(mtlsProxy.accepted).toBe(accepted);
  });
});

describe('API key', () => {
  test('TEMPORAL_API_KEY reaches the server as "authorization: Bearer <key>" on every call of wf run', async () => {
    const before = recording.authorizations.length;
    const env = { ...baseEnv(), TEMPORAL_ADDRESS: recording.address, TEMPORAL_API_KEY: 'test-api-key-123', TEMPORAL_TLS: 'false' };
    expectCompleted(await runWf(['run', HELLO, '--json'], env));
    const seen = recording.authorizations.slice(before);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set(['Bearer test-api-key-123']));
  });

  test('without TEMPORAL_API_KEY no authorization header is sent', async () => {
    const before = recording.authorizations.length;
    const { client, close } = await connectEngineClient(loadConfig({ ...baseEnv(), TEMPORAL_ADDRESS: recording.address }));
    try {
      expect(await client.health()).toMatchObject({ temporal: 'up' });
    } finally {
      await close();
    }
    const seen = recording.authorizations.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((value) => value === undefined)).toBe(true);
  });
});

describe('TOML profile', () => {
  test('TEMPORAL_CONFIG_FILE + TEMPORAL_PROFILE select the address and TLS settings; without TEMPORAL_PROFILE the "default" profile', async () => {
    const file = join(home, 'profiles.toml');
    writeFileSync(file, [
      '[profile.default]',
      'address = "127.0.0.1:1"',
      '',
      '[profile.proxied]',
      `address = "${mtlsProxy.address}"`,
      'namespace = "default"',
      '[profile.proxied.tls]',
      `server_ca_cert_path = "${certs.caCertPath}"`,
      'server_name = "localhost"',
      `client_cert_path = "${certs.clientCertPath}"`,
      `client_key_path = "${certs.clientKeyPath}"`,
    ].join('\n'));
    const accepted = mtlsProxy.accepted;
    expectCompleted(await runWf(['run', HELLO, '--json'], { ...baseEnv(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'proxied' }));
    expect(mtlsProxy.accepted).toBeGreaterThan(accepted);
    const unreachable = await runWf(['status', 'x', '--json'], { ...baseEnv(), TEMPORAL_CONFIG_FILE: file });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^wf: Temporal is unreachable at 127\.0\.0\.1:1\b/);
  });

  test("the profile's namespace is the one used", async () => {
    const file = join(home, 'namespace.toml');
    writeFileSync(file, `[profile.elsewhere]\naddress = "${tlsProxy.address}"\nnamespace = "no-such-namespace"\n[profile.elsewhere.tls]\nserver_ca_cert_path = "${certs.caCertPath}"\nserver_name = "localhost"\n`);
    const result = await runWf(['run', HELLO, '--json'], { ...baseEnv(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'elsewhere' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no-such-namespace/);
  });
});
