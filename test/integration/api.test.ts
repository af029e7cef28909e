/** The HTTP API end to end on the real stack, through Fastify's inject (no socket needed). */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

let engine: TestEngine;
let api: TestApi;
beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});


test('store a graph, start it, follow it, read it; another organization sees 404', async () => {
  const operator = await api.key('acme', 'operator');
  const id = graphId('api');
  const graph = { id, version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { n: { $expr: 'input.n + 1' } } } }] };
  const stored = await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: graph });
  expect(stored.statusCode).toBe(201);
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: graph })).statusCode).toBe(200);

  const started = await api.app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(operator), payload: { graphId: id, input: { n: 1 } } });
  expect(started.statusCode).toBe(202);
  const { executionId, url } = started.json();
  expect(url).toBe(`/api/v1/executions/${executionId}`);

  const events = await api.app.inject({ method: 'GET', url: `/api/v1/executions/${executionId}/events`, headers: auth(operator) });
  expect(events.headers['content-type']).toContain('text/event-stream');
  expect(events.body).toContain('event: step');
  expect(events.body).toMatch(/event: execution\ndata: .*"status":"completed"/);

  const read = await api.app.inject({ method: 'GET', url, headers: auth(operator) });
  expect(read.json()).toMatchObject({ status: 'completed', output: { n: 2 }, steps: { a: { status: 'completed' } } });
  const list = await api.app.inject({ method: 'GET', url: `/api/v1/executions?graphId=${id}&status=completed`, headers: auth(operator) });
  expect(list.json().executions.map((e: { executionId: string }) => e.executionId)).toEqual([executionId]);

  const other = await api.key('globex', 'admin');
  expect((await api.app.inject({ method: 'GET', url, headers: auth(other) })).statusCode).toBe(404);
  expect((await api.app.inject({ method: 'GET', url: `/api/v1/graphs/${id}`, headers: auth(other) })).statusCode).toBe(404);
  expect((await api.app.inject({ method: 'POST', url: `/api/v1/executions/${executionId}/cancel`, headers: auth(other) })).statusCode).toBe(404);
});

test('no key 401, a revoked or wrong key 401, too small a role 403', async () => {
  const viewer = await api.key('acme', 'viewer');
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/executions' })).statusCode).toBe(401);
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/executions', headers: auth('wfk_key_000000000000_' + 'x'.repeat(43)) })).statusCode).toBe(401);
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/executions', headers: auth(viewer) })).statusCode).toBe(200);
  const forbidden = await api.app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(viewer), payload: { graphId: 'x' } });
  expect(forbidden.statusCode).toBe(403);
  const admin = await api.key('acme', 'admin');
  const created = await api.app.inject({ method: 'POST', url: '/api/v1/keys', headers: auth(admin), payload: { role: 'viewer' } });
  expect(created.statusCode).toBe(201);
  const { keyId, apiKey } = created.json();
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/keys', headers: auth(admin) })).body).not.toContain(apiKey.slice(-20));
  expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/keys/${keyId}`, headers: auth(admin) })).statusCode).toBe(204);
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/executions', headers: auth(apiKey) })).statusCode).toBe(401);
  expect((await api.app.inject({ method: 'GET', url: '/admin/executions', headers: auth(viewer) })).statusCode).toBe(403);
});

test('the same idempotency key returns the same execution, also under concurrent requests', async () => {
  const operator = await api.key('acme', 'operator');
  const id = graphId('idem');
  await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: { id, version: 1, nodes: [{ id: 'a', type: 'mock' }] } });
  const responses = await Promise.all(
    Array.from({ length: 6 }, () => api.app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(operator), payload: { graphId: id, idempotencyKey: 'order-42' } })),
  );
  expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
  expect(new Set(responses.map((r) => r.json().executionId)).size).toBe(1);
  let runs = 0;
  for await (const _ of engine.temporal.workflow.list({ query: `GraphId = "${id}"` })) runs++;
  for (let i = 0; i < 20 && runs !== 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    runs = 0;
    for await (const _ of engine.temporal.workflow.list({ query: `GraphId = "${id}"` })) runs++;
  }
  expect(runs).toBe(1);
});

test('bad input: 400 with JSON paths, nothing started; health and metrics; docs', async () => {
  const operator = await api.key('acme', 'operator');
  const unknownField = await api.app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(operator), payload: { graphId: 'g', surprise: 1 } });
  expect(unknownField.statusCode).toBe(400);
  expect(JSON.stringify(unknownField.json())).not.toMatch(/\n\s+at /);
  const invalidGraph = await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: { id: 'Bad Id', version: 0, nodes: [] } });
  expect(invalidGraph.statusCode).toBe(400);
  expect(invalidGraph.json().error.problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['$.id', '$.version', '$.nodes']));
  const malformed = await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: { ...auth(operator), 'content-type': 'application/json' }, payload: '{"id": ' });
  expect(malformed.statusCode).toBe(400);
  const health = await api.app.inject({ method: 'GET', url: '/health' });
  expect(health.json()).toEqual({ status: 'ok', temporal: 'up', postgres: 'up' });
  expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  const metrics = await api.app.inject({ method: 'GET', url: '/metrics', headers: auth(operator) });
  expect(metrics.body).toMatch(/wf_executions\{status="(running|completed)"\} \d+/);
  // Request latency counts every organization's requests: only on the WF_METRICS_PORT listener (api-metrics.test.ts).
  expect(metrics.body).not.toContain('wf_api_request_duration_seconds');
  const docs = await api.app.inject({ method: 'GET', url: '/docs/json' });
  expect(docs.json().paths).toHaveProperty('/api/v1/executions');
});

test('/health answers 503 and names PostgreSQL when it is down, Temporal still up', async () => {
  const { createPool } = await import('../../src/store/pool');
  const { EngineClient } = await import('../../src/client');
  const { buildApi } = await import('../../src/api/app');
  const deadPool = createPool('postgres://nobody:secret@127.0.0.1:1/none');
  const app = await buildApi({ client: new EngineClient({ temporal: engine.temporal, pool: deadPool }), pool: deadPool });
  try {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'degraded', temporal: 'up', postgres: 'down' });
    const request = await app.inject({ method: 'GET', url: '/api/v1/executions', headers: auth('wfk_key_000000000000_' + 'x'.repeat(43)) });
    expect(request.statusCode).toBe(503);
    expect(request.body).not.toContain('secret');
  } finally {
    await app.close();
    await deadPool.end();
  }
});

test('engine-internal signal names answer 400 naming the signal, and a queued execution stays queued', async () => {
  const operator = await api.key('default', 'operator');
  const key = `api-reserved-${Date.now()}`;
  const graph = { id: graphId('api-reserved'), version: 1, settings: { concurrency: { key: `'${key}'`, max: 1 } }, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'go', timeout: '1m' } }] };
  const first = await engine.client.start({ organizationId: 'default', graph });
  const second = await engine.client.start({ organizationId: 'default', graph });
  const statusOf = async (id: string) => (await engine.client.status('default', id)).status;
  for (let i = 0; i < 100 && (await statusOf(second.executionId)) !== 'queued'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await statusOf(second.executionId)).toBe('queued');
  for (const name of ['slotGranted', '__temporal_anything']) {
    const response = await api.app.inject({ method: 'POST', url: `/api/v1/executions/${second.executionId}/signals/${name}`, headers: auth(operator), payload: { payload: { grantedAt: new Date().toISOString() } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ type: 'InvalidRequest', message: expect.stringContaining(`"${name}"`) });
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await statusOf(second.executionId)).toBe('queued');
  expect(await engine.client.queueStats('default', key)).toMatchObject({ active: 1, queued: 1 });
  for (const started of [second, first]) await engine.client.cancel('default', started.executionId);
  for (const started of [first, second]) expect((await engine.client.waitForEnd('default', started.executionId)).status).toBe('cancelled');
});
