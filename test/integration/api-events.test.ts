/** POST /api/v1/events: triggers start executions with the payload; a repeated event id starts nothing new. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';

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


test('an event starts one execution per matching trigger, once per event id, only in its organization', async () => {
  const key = await api.key('shop', 'operator');
  const id = graphId('on-order');
  await api.app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(key), payload: { id, version: 1, nodes: [{ id: 'greet', type: 'transform', config: { output: { hello: { $expr: 'input.customer' } } } }] } });
  const trigger = await api.app.inject({ method: 'POST', url: '/api/v1/triggers', headers: auth(key), payload: { eventType: 'order.created', graphId: id } });
  expect(trigger.statusCode).toBe(201);
  const { triggerId } = trigger.json();
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/triggers', headers: auth(key), payload: { eventType: 'order.created', graphId: 'no-such-graph' } })).statusCode).toBe(404);

  const event = { id: 'evt-1', type: 'order.created', payload: { customer: 'ada' } };
  const deliveries = await Promise.all([1, 2, 3].map(() => api.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth(key), payload: event })));
  expect(deliveries.map((d) => d.statusCode)).toEqual([202, 202, 202]);
  const executionIds = deliveries.map((d) => d.json().executionIds);
  expect(executionIds[0]).toHaveLength(1);
  expect(executionIds[1]).toEqual(executionIds[0]);
  expect(executionIds[2]).toEqual(executionIds[0]);
  const view = await engine.client.waitForEnd('shop', executionIds[0][0]);
  expect(view.output).toEqual({ hello: 'ada' });
  // Exactly one execution of the graph, in the mirror and in Temporal (visibility lags:
  // wait until it shows the one we know of, then nothing else may be there).
  const mirrored = await engine.pool.query<{ id: string }>('SELECT id FROM executions WHERE graph_id = $1', [id]);
  expect(mirrored.rows.map((row) => row.id)).toEqual([executionIds[0][0]]);
  const runs = await waitFor('the execution in Temporal visibility', 30_000, async () => {
    const found: string[] = [];
    for await (const execution of engine.temporal.workflow.list({ query: `GraphId = "${id}"` })) found.push(execution.workflowId);
    return found.includes(executionIds[0][0]) ? found : undefined;
  }, 200);
  expect(runs).toEqual([executionIds[0][0]]);

  const unrelated = await api.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth(key), payload: { id: 'evt-2', type: 'order.cancelled' } });
  expect(unrelated.json()).toMatchObject({ executionIds: [], duplicate: false });
  const otherKey = await api.key('elsewhere', 'operator');
  const foreign = await api.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth(otherKey), payload: { id: 'evt-1', type: 'order.created' } });
  expect(foreign.json()).toMatchObject({ executionIds: [], duplicate: false });
  expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/triggers/${triggerId}`, headers: auth(otherKey) })).statusCode).toBe(404);
  expect((await api.app.inject({ method: 'GET', url: '/api/v1/triggers', headers: auth(otherKey) })).json()).toEqual([]);
  expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/triggers/${triggerId}`, headers: auth(key) })).statusCode).toBe(204);
  const bad = await api.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth(key), payload: { id: 'evt-3', type: 'bad type!', extra: 1 } });
  expect(bad.statusCode).toBe(400);
  const viewer = await api.key('shop', 'viewer');
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth(viewer), payload: event })).statusCode).toBe(403);
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/events', payload: event })).statusCode).toBe(401);
});
