/**
 * `/api/v1/secrets` (DESIGN §10) on the real stack: admin only, another organization neither
 * sees nor touches them, values are sealed in Postgres and never in an answer or a request
 * log, and an API without WF_SECRETS_KEY refuses to store one, saying so.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createSecretLookup } from '../../src/secrets/postgres-secret-lookup';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';

const VALUE = 'sk_live_value_8d2e61';
let engine: TestEngine;
let api: TestApi;
let admin: string;
let otherAdmin: string;
let logged = '';
let loggingApp: FastifyInstance;

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  api = await startTestApi(engine);
  admin = await api.key('default', 'admin');
  otherAdmin = await api.key('other-org', 'admin');
  // Logged as `npm run api` logs (src/api/server.ts), at the most verbose level.
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => ((logged += chunk.toString()), done()) });
  loggingApp = await buildApi({ client: engine.client, pool: engine.pool, secretCipher: engine.secretCipher }, { logger: { level: 'trace', redact: ['req.headers.authorization'], stream } });
  await loggingApp.ready();
});
afterAll(async () => {
  await loggingApp?.close();
  await api?.app.close();
  await engine?.stop();
});

const put = (app: FastifyInstance, key: string, name: string, body: unknown) => app.inject({ method: 'PUT', url: `/api/v1/secrets/${name}`, headers: auth(key), payload: body as object });
const list = (key: string) => api.app.inject({ method: 'GET', url: '/api/v1/secrets', headers: auth(key) });
const remove = (key: string, name: string) => api.app.inject({ method: 'DELETE', url: `/api/v1/secrets/${name}`, headers: auth(key) });

describe('PUT /api/v1/secrets/:name', () => {
  test('201 when created, 200 when replaced; the answer never holds the value; the row holds it sealed', async () => {
    const created = await put(api.app, admin, 'stripe.key', { value: VALUE });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ name: 'stripe.key', stored: 'created' });
    const replaced = await put(api.app, admin, 'stripe.key', { value: `${VALUE}-2` });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toEqual({ name: 'stripe.key', stored: 'replaced' });
    expect(replaced.body).not.toContain(VALUE);
    const { rows } = await engine.pool.query<{ sealed_value: string }>("SELECT sealed_value FROM secrets WHERE organization_id = 'default' AND name = 'stripe.key'");
    expect(rows[0].sealed_value).not.toContain(VALUE);
    expect(await createSecretLookup(engine.pool, engine.secretCipher).value('default', 'stripe.key')).toBe(`${VALUE}-2`);
  });

  test('bad requests are 400 with the JSON path, never echoing the value', async () => {
    const cases: [string, unknown, string][] = [
      ['Bad Name', { value: VALUE }, '$.params.name'],
      ['ok', { value: '' }, '$.body.value'],
      ['ok', { value: 42 }, '$.body.value'],
      ['ok', { value: VALUE, extra: VALUE }, '$.body.extra'],
      ['ok', {}, '$.body.value'],
    ];
    for (const [name, body, path] of cases) {
      const response = await put(api.app, admin, encodeURIComponent(name), body);
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error.problems.map((problem: { path: string }) => problem.path), path).toContain(path);
      expect(response.body).not.toContain(VALUE);
    }
    const large = await put(api.app, admin, 'big', { value: 'v'.repeat(64 * 1024 + 1) });
    expect(large.statusCode).toBe(400);
    expect(large.json().error.problems[0].message).toBe('a secret value is at most 65536 bytes, this one has 65537');
  });

  test('without WF_SECRETS_KEY the API answers 503 naming it, and stores nothing', async () => {
    const keyless = await buildApi({ client: engine.client, pool: engine.pool });
    try {
      const response = await put(keyless, admin, 'keyless', { value: VALUE });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ type: 'SecretsKeyMissing', message: expect.stringContaining('WF_SECRETS_KEY is not set') });
    } finally {
      await keyless.close();
    }
    expect((await list(admin)).json().map((secret: { name: string }) => secret.name)).not.toContain('keyless');
  });
});

describe('roles and organizations', () => {
  test('viewer and operator keys get 403 on every secret route; no key gets 401', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const key = await api.key('default', role);
      expect((await put(api.app, key, 'stripe.key', { value: 'overwritten' })).statusCode, role).toBe(403);
      expect((await list(key)).statusCode, role).toBe(403);
      expect((await remove(key, 'stripe.key')).statusCode, role).toBe(403);
    }
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/secrets' })).statusCode).toBe(401);
    expect(await createSecretLookup(engine.pool, engine.secretCipher).value('default', 'stripe.key')).toBe(`${VALUE}-2`);
  });

  test('another organization sees an empty list, gets 404 deleting, and its own secret of that name is its own', async () => {
    expect((await list(otherAdmin)).json()).toEqual([]);
    expect((await remove(otherAdmin, 'stripe.key')).statusCode).toBe(404);
    expect((await put(api.app, otherAdmin, 'stripe.key', { value: 'other-value' })).statusCode).toBe(201);
    const lookup = createSecretLookup(engine.pool, engine.secretCipher);
    expect(await lookup.value('other-org', 'stripe.key')).toBe('other-value');
    expect(await lookup.value('default', 'stripe.key')).toBe(`${VALUE}-2`);
    expect((await list(otherAdmin)).json().map((secret: { name: string }) => secret.name)).toEqual(['stripe.key']);
  });
});

describe('GET and DELETE', () => {
  test('the list shows names and times only', async () => {
    await put(api.app, admin, 'another', { value: 'another-value' });
    const response = await list(admin);
    expect(response.statusCode).toBe(200);
    const secrets = response.json() as Record<string, unknown>[];
    expect(secrets.map((secret) => secret.name)).toEqual(['another', 'stripe.key']);
    for (const secret of secrets) {
      expect(Object.keys(secret).sort()).toEqual(['createdAt', 'name', 'updatedAt']);
      expect(Date.parse(secret.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(secret.createdAt as string));
    }
    for (const hidden of [VALUE, 'another-value', 'v1:']) expect(response.body).not.toContain(hidden);
  });

  test('DELETE answers 204, then 404', async () => {
    expect((await remove(admin, 'another')).statusCode).toBe(204);
    const again = await remove(admin, 'another');
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toEqual({ type: 'NotFound', message: 'secret "another" not found' });
  });
});

test('request logs, even at trace level, never carry a value', async () => {
  const logValue = 'log-probe-value-5531';
  expect((await put(loggingApp, admin, 'log-probe', { value: logValue })).statusCode).toBe(201);
  expect((await put(loggingApp, admin, 'log-probe', { value: logValue, extra: true })).statusCode).toBe(400);
  expect((await loggingApp.inject({ method: 'GET', url: '/api/v1/secrets', headers: auth(admin) })).statusCode).toBe(200);
  expect(logged).toContain('/api/v1/secrets/log-probe');
  expect(logged).not.toContain(logValue);
  expect(logged).not.toContain(admin);
});
