/**
 * Two answers that were not true (issue 11): POST /api/v1/executions said `running` for an
 * execution that waits for a concurrency slot, and an event stream never ended while its
 * execution ran. Now the start answers `queued`, and a stream ends after its maximum duration
 * with a `timeout` event carrying `retry:`; reconnecting gets the current state again.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { RECONNECT_MS } from '../../src/api/sse';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';

const ORG = `queue-stream-${randomBytes(3).toString('hex')}`;
let engine: TestEngine;
let api: TestApi;
let key: string;
const started: string[] = [];

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  key = await api.key(ORG, 'operator');
});

afterAll(async () => {
  // Nothing may keep waiting after the file: cancel what still runs or queues.
  for (const id of started) await engine.client.cancel(ORG, id).catch(() => undefined);
  await api?.app.close();
  await engine?.stop();
});

async function store(graph: Record<string, unknown>): Promise<void> {
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(key), payload: graph })).statusCode).toBe(201);
}

async function start(graph: string, input: unknown = {}, idempotencyKey?: string): Promise<{ executionId: string; status: string }> {
  const response = await api.app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(key), payload: { graphId: graph, input, ...(idempotencyKey ? { idempotencyKey } : {}) } });
  expect(response.statusCode, response.body).toBe(202);
  const body = response.json() as { executionId: string; status: string };
  started.push(body.executionId);
  return body;
}

const mirroredStatus = (executionId: string) => async (): Promise<string | undefined> => (await engine.pool.query<{ status: string }>('SELECT status FROM executions WHERE id = $1', [executionId])).rows[0]?.status;

test('POST /api/v1/executions answers queued for an execution that waits for its concurrency slot', async () => {
  const id = graphId('one-at-a-time');
  await store({ id, version: 1, settings: { concurrency: { key: "'account:' + string(input.account)", max: 1 } }, nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] });
  const first = await start(id, { account: 1 }, 'first');
  expect(['queued', 'running']).toContain(first.status); // its slot may already be granted
  await waitFor('the first execution to hold its slot', 30_000, async () => ((await mirroredStatus(first.executionId)()) === 'running' ? true : undefined));

  const second = await start(id, { account: 1 });
  expect(second.status).toBe('queued');
  await waitFor('the second execution in the mirror', 30_000, mirroredStatus(second.executionId));
  expect((await api.app.inject({ method: 'GET', url: `/api/v1/executions/${second.executionId}`, headers: auth(key) })).json().status).toBe('queued');
  // The same start again (same idempotency key) answers what the execution is now.
  expect((await start(id, { account: 1 }, 'first')).status).toBe('running');
  // Another key has a free slot; a graph without concurrency runs at once.
  const other = await start(id, { account: 2 });
  expect(['queued', 'running']).toContain(other.status);
  const free = graphId('free');
  await store({ id: free, version: 1, nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] });
  expect((await start(free)).status).toBe('running');
});

test('an event stream ends after its maximum duration with `retry:` and a timeout event; reconnecting sends the current state again', async () => {
  const app: FastifyInstance = await buildApi({ client: engine.client, pool: engine.pool }, { limits: { sseMaxSeconds: 1 } });
  await app.ready();
  try {
    const id = graphId('streamed');
    await store({ id, version: 1, nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] });
    const { executionId } = await start(id);
    await waitFor('the wait step to be mirrored', 30_000, async () => ((await engine.client.status(ORG, executionId)).steps.hold?.status === 'waiting' ? true : undefined));

    const url = `/api/v1/executions/${executionId}/events`;
    const begun = Date.now();
    const stream = await app.inject({ method: 'GET', url, headers: auth(key) });
    const lasted = Date.now() - begun;
    expect(lasted).toBeGreaterThanOrEqual(900);
    expect(lasted).toBeLessThan(10_000);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expect(stream.body).toMatch(/event: step\ndata: .*"nodeId":"hold".*"status":"waiting"/);
    expect(stream.body).not.toContain('event: execution');
    expect(stream.body.endsWith(`retry: ${RECONNECT_MS}\nevent: timeout\ndata: ${JSON.stringify({ executionId, reconnect: true, afterSeconds: 1 })}\n\n`)).toBe(true);

    const again = await app.inject({ method: 'GET', url, headers: auth(key) });
    expect(again.body).toMatch(/^event: step\ndata: .*"nodeId":"hold".*"status":"waiting"/);
    expect(again.body).toContain('event: timeout');

    // A stream of an execution that ends within the limit still closes with its end, not a timeout.
    await engine.client.signal(ORG, executionId, 'go', { ok: true });
    await engine.client.waitForEnd(ORG, executionId);
    const ended = await app.inject({ method: 'GET', url, headers: auth(key) });
    expect(ended.body).toMatch(/event: execution\ndata: .*"status":"completed"/);
    expect(ended.body).not.toContain('event: timeout');
  } finally {
    await app.close();
  }
});
