/**
 * Encrypted payloads end to end (DESIGN §15): an engine whose client and worker carry the
 * encryption codec runs an execution with a marker in its input; Temporal's history (as
 * `temporal workflow show` prints it) holds the marker in no form, while the same command
 * through the API's codec server (`--codec-endpoint`, admin key) shows it, with the engine's
 * key in second place of a rotated key list. The mirror, written by activities from decoded
 * values, keeps plaintext. The codec routes: admin only, CORS for the one configured origin.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import { loadPayloadKeys } from '../../src/config';
import { codecOf, payloadDataConverter } from '../../src/payloads/data-converter';
import { fetchLatestHistory, replayHistory } from '../../src/replay/replay';
import { parseSecretsKey, generateSecretsKey } from '../../src/secrets/cipher';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, stepOutput } from '../helpers/graphs';
import { findHits, needlesFor, searchableText } from '../helpers/secret-scan-search';
import { runWf } from '../helpers/wf-cli';

const HELLO = fileURLToPath(new URL('../../examples/hello.json', import.meta.url));
const TEMPORAL_CLI = fileURLToPath(new URL('../../.tools/temporal/bin/temporal', import.meta.url));
const exec = promisify(execFile);
const MARKER = `codec-marker-${process.pid}-9d41`;
const UI_ORIGIN = 'http://localhost:8233';

const engineKey = generateSecretsKey();
const engineKeyId = parseSecretsKey(engineKey, 'k').id;
const newKey = generateSecretsKey();

let engine: TestEngine;
/** Listens on a free port with keys `new, <engine's>`: the engine's key in second place, as after a rotation. */
let rotatedApi: FastifyInstance;
let codecUrl: string;
let adminKey: string;
let viewerKey: string;
let executionId: string;

function apiWith(keys: string): Promise<FastifyInstance> {
  return buildApi({ client: engine.client, pool: engine.pool, payloadCodec: codecOf(payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEYS: keys }))), codecCorsOrigins: [UI_ORIGIN] });
}

async function show(extra: string[] = []): Promise<string> {
  const { stdout } = await exec(TEMPORAL_CLI, ['workflow', 'show', '--workflow-id', executionId, '--output', 'json', '--address', inject('temporalAddress'), '--namespace', 'default', ...extra], { maxBuffer: 64 * 1024 * 1024 });
  expect(stdout).toContain('"events"');
  return stdout;
}

function hitsIn(text: string) {
  return findHits([{ where: 'history', text: searchableText(text) }], needlesFor({ marker: MARKER }));
}

beforeAll(async () => {
  engine = await startTestEngine({ dataConverter: payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEY: engineKey })) });
  rotatedApi = await apiWith(`new:${newKey},${engineKey}`);
  await rotatedApi.listen({ host: '127.0.0.1', port: 0 });
  const address = rotatedApi.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  codecUrl = `http://127.0.0.1:${address.port}/codec`;
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING");
  adminKey = (await createApiKey(engine.pool, 'default', 'admin')).apiKey;
  viewerKey = (await createApiKey(engine.pool, 'default', 'viewer')).apiKey;
  const graph = { id: graphId('codec'), version: 1, nodes: [{ id: 'echo', type: 'mock', config: { output: { said: { $expr: 'input.secret' } } } }], edges: [] };
  const started = await engine.client.start({ organizationId: 'default', graph, input: { secret: MARKER } });
  executionId = started.executionId;
  const view = await engine.client.waitForEnd('default', executionId);
  expect(view.status).toBe('completed');
}, 120_000);

afterAll(async () => {
  await rotatedApi?.close();
  await engine?.stop();
});

describe('Temporal stores ciphertext only', () => {
  test('the raw history holds the marker in no form, and says binary/encrypted with the key id', async () => {
    const raw = await show();
    expect(hitsIn(raw)).toEqual([]);
    expect(searchableText(raw)).toContain('binary/encrypted');
    expect(searchableText(raw)).toContain(engineKeyId);
  });

  test('through the codec server (the old key in second place of WF_PAYLOAD_KEYS) the CLI shows the marker', async () => {
    const decoded = await show(['--codec-endpoint', codecUrl, '--codec-auth', `Bearer ${adminKey}`]);
    // JSON output keeps payload data base64: decoded means json/plain payloads whose data holds the marker.
    expect(searchableText(decoded)).not.toContain('binary/encrypted');
    expect(searchableText(decoded)).toContain(MARKER);
  });

  test('the mirror keeps plaintext: activities write it from decoded values', async () => {
    expect(await stepOutput(engine, executionId, 'echo')).toEqual({ said: MARKER });
    const view = await engine.client.waitForEnd('default', executionId);
    expect(JSON.stringify(view)).toContain(MARKER);
  });
});

test('replay decodes the encrypted history with the same keys (wf replay passes its codec)', async () => {
  const recorded = await fetchLatestHistory(engine.temporal, executionId);
  const code = { workflowBundle: { codePath: inject('workflowBundlePath') } };
  const verdict = await replayHistory(recorded, code, payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEYS: `new:${newKey},${engineKey}` })));
  expect(verdict.deterministic, verdict.problem?.message).toBe(true);
}, 60_000);

describe('the codec routes', () => {
  async function encryptedPayload(): Promise<{ metadata: Record<string, string>; data: string }> {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(MARKER)).toString('base64') };
    const answer = await rotatedApi.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${adminKey}` }, payload: { payloads: [plain] } });
    expect(answer.statusCode).toBe(200);
    return answer.json<{ payloads: { metadata: Record<string, string>; data: string }[] }>().payloads[0];
  }

  test('encode then decode round-trips for an admin key, X-Namespace accepted', async () => {
    const encrypted = await encryptedPayload();
    expect(Buffer.from(encrypted.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted.metadata['encryption-key-id'], 'base64').toString()).toBe('new');
    const answer = await rotatedApi.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${adminKey}`, 'x-namespace': 'default' }, payload: { payloads: [encrypted] } });
    expect(answer.statusCode).toBe(200);
    expect(Buffer.from(answer.json().payloads[0].data, 'base64').toString()).toBe(JSON.stringify(MARKER));
  });

  test('no key: 401; a viewer key: 403', async () => {
    const encrypted = await encryptedPayload();
    const none = await rotatedApi.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [encrypted] } });
    expect(none.statusCode).toBe(401);
    const viewer = await rotatedApi.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${viewerKey}` }, payload: { payloads: [encrypted] } });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.body).not.toContain(MARKER);
  });

  test('a payload whose key is unknown: 400 naming the key id', async () => {
    const encrypted = await encryptedPayload();
    const other = await apiWith(`other:${generateSecretsKey()}`);
    try {
      const answer = await other.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${adminKey}` }, payload: { payloads: [encrypted] } });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.message).toContain('key "new"');
    } finally {
      await other.close();
    }
  });

  test('CORS: headers and preflight for the configured origin only', async () => {
    const preflight = await rotatedApi.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('x-namespace');
    const foreign = await rotatedApi.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['access-control-allow-methods']).toBeUndefined();
    const post = await rotatedApi.inject({ method: 'POST', url: '/codec/decode', headers: { origin: UI_ORIGIN }, payload: { payloads: [] } });
    expect(post.statusCode).toBe(401);
    expect(post.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const other = await rotatedApi.inject({ method: 'GET', url: '/health', headers: { origin: UI_ORIGIN } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('without payload keys the routes answer 503 naming WF_PAYLOAD_KEY', async () => {
    const plain = await buildApi({ client: engine.client, pool: engine.pool });
    try {
      const answer = await plain.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${adminKey}` }, payload: { payloads: [] } });
      expect(answer.statusCode).toBe(503);
      expect(answer.json().error.message).toContain('WF_PAYLOAD_KEY');
    } finally {
      await plain.close();
    }
  });
});

test('wf without the payload key says so and how to fix it (exit 2), not "Unknown encoding"', async () => {
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, HOME: process.env.HOME };
  const result = await runWf(['run', HELLO, '--input', '{"n": 7}'], env);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim()).toBe("wf: the execution's payloads are encrypted and wf has no payload key: set WF_PAYLOAD_KEY (or WF_PAYLOAD_KEYS) to the workers' key (npm start's is in .data/payload.key)");
  const withKey = await runWf(['run', HELLO, '--input', '{"n": 7}', '--json'], { ...env, WF_PAYLOAD_KEY: engineKey });
  expect(withKey.code, withKey.stderr).toBe(0);
}, 90_000);
