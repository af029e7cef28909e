/**
 * Trigger filters (DESIGN §10): a CEL condition over `event`, checked when the trigger is made,
 * evaluated when an event arrives; false or failing filters start nothing and are reported.
 * And `wf trigger create | list | delete`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { runWf } from '../helpers/wf-cli';

const ORG = 'filters';
let engine: TestEngine;
let api: TestApi;
let key: string;
beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  key = await api.key(ORG, 'operator');
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

const post = (url: string, payload: unknown) => api.app.inject({ method: 'POST', url, headers: auth(key), payload: payload as object });

describe('POST /api/v1/triggers with a filter', () => {
  test('only triggers whose filter holds start executions; false and failing filters are reported as skipped', async () => {
    const id = graphId('big-orders');
    await engine.client.storeGraph(ORG, { id, version: 1, nodes: [{ id: 'echo', type: 'transform', config: { output: { total: { $expr: 'input.total' } } } }] });
    const big = (await post('/api/v1/triggers', { eventType: 'order.placed', graphId: id, filter: 'event.payload.total > 100' })).json();
    expect(big.filter).toBe('event.payload.total > 100');
    const dutch = (await post('/api/v1/triggers', { eventType: 'order.placed', graphId: id, filter: 'event.payload.country == "NL" && event.id.startsWith("ord-")' })).json();
    const plain = (await post('/api/v1/triggers', { eventType: 'order.placed', graphId: id })).json();
    expect(plain.filter).toBeNull();

    const small = await post('/api/v1/events', { id: 'ord-1', type: 'order.placed', payload: { total: 20, country: 'NL' } });
    expect(small.statusCode).toBe(202);
    expect(small.json().executionIds).toHaveLength(2); // dutch and plain
    expect(small.json().skipped).toEqual([{ triggerId: big.triggerId, reason: 'filter is false' }]);

    // `country` is missing: the dutch filter fails to evaluate, counts as false and says why.
    const large = await post('/api/v1/events', { id: 'ord-2', type: 'order.placed', payload: { total: 500 } });
    expect(large.json().executionIds).toHaveLength(2); // big and plain
    expect(large.json().skipped).toEqual([{ triggerId: dutch.triggerId, reason: expect.stringContaining('$.filter failed') }]);

    const started = [...small.json().executionIds, ...large.json().executionIds];
    for (const executionId of started) expect((await engine.client.waitForEnd(ORG, executionId)).status).toBe('completed');
    const mirrored = await engine.pool.query('SELECT count(*)::int AS n FROM executions WHERE graph_id = $1', [id]);
    expect(mirrored.rows[0].n).toBe(4);

    // A repeat of an event starts nothing new and answers the same executions.
    const again = await post('/api/v1/events', { id: 'ord-2', type: 'order.placed', payload: { total: 500 } });
    expect(again.json()).toMatchObject({ duplicate: true, executionIds: large.json().executionIds });
  });

  test('a filter that does not parse, does not type-check or is not a bool is refused with its path', async () => {
    const id = graphId('filter-bad');
    await engine.client.storeGraph(ORG, { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    for (const filter of ['event.payload.total >', 'input.total > 1', '"yes"']) {
      const response = await post('/api/v1/triggers', { eventType: 'x.y', graphId: id, filter });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.problems).toEqual([{ path: '$.filter', message: expect.any(String) }]);
    }
    expect((await post('/api/v1/triggers', { eventType: 'x.y', graphId: id, filter: '' })).json().error.problems[0].path).toBe('$.body.filter');
    const stored = await engine.pool.query('SELECT count(*)::int AS n FROM triggers WHERE graph_id = $1', [id]);
    expect(stored.rows[0].n).toBe(0);
  });
});

describe('wf trigger', () => {
  const wf = (args: string[]) => runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_ORG: ORG });

  test('create (with a filter), list and delete; a bad filter exits 2 naming the field', async () => {
    const id = graphId('cli-trigger');
    await engine.client.storeGraph(ORG, { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    const created = await wf(['trigger', 'create', 'invoice.paid', '--graph', `${id}@1`, '--filter', 'event.payload.amount >= 10', '--json']);
    expect(created.code).toBe(0);
    const trigger = JSON.parse(created.stdout);
    expect(trigger).toMatchObject({ eventType: 'invoice.paid', graphId: id, graphVersion: 1, filter: 'event.payload.amount >= 10' });

    const listed = JSON.parse((await wf(['trigger', 'list', '--json'])).stdout);
    expect(listed).toEqual(expect.arrayContaining([trigger]));
    expect((await wf(['trigger', 'list'])).stdout).toContain(trigger.triggerId);
    const event = await engine.client.publishEvent(ORG, { id: 'inv-1', type: 'invoice.paid', payload: { amount: 12 } });
    expect(event.executionIds).toHaveLength(1);

    const bad = await wf(['trigger', 'create', 'invoice.paid', '--graph', id, '--filter', 'event.payload.amount >=']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('$.filter');
    expect(bad.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect((await wf(['trigger', 'create', 'bad type!', '--graph', id])).code).toBe(2);
    expect((await wf(['trigger', 'create', 'invoice.paid', '--graph', 'no-such-graph'])).code).toBe(2);

    expect((await wf(['trigger', 'delete', trigger.triggerId, '--org', 'someone-else'])).code).toBe(2);
    expect((await wf(['trigger', 'delete', trigger.triggerId])).code).toBe(0);
    expect(JSON.parse((await wf(['trigger', 'list', '--json'])).stdout).map((item: { triggerId: string }) => item.triggerId)).not.toContain(trigger.triggerId);
    expect((await wf(['trigger', 'delete', trigger.triggerId])).code).toBe(2);
  });
});
