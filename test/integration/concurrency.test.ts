/**
 * Per-key FIFO concurrency (settings.concurrency) on the real stack: at most `max` executions
 * of a key hold a slot, the others wait `queued` and start in arrival order.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExecutionView } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await engine.startWorker(); // two workers on the task queue
});
afterAll(async () => engine?.stop());

function limited(id: string, max: number, delayMs = 150) {
  return {
    id,
    version: 1,
    settings: { concurrency: { key: "'account:' + string(input.account)", max } },
    nodes: [{ id: 'work', type: 'mock', config: { delayMs } }],
  };
}

function maxOverlap(views: ExecutionView[]): number {
  const intervals = views.map((v) => [Date.parse(v.startedAt!), Date.parse(v.finishedAt!)]);
  return Math.max(...intervals.map(([start]) => intervals.filter(([s, f]) => s <= start && start < f).length));
}

test('50 executions on one key with max 2 and two workers: submission order, never more than 2 at once, all complete', async () => {
  const graph = limited(graphId('fifo'), 2);
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) ids.push((await engine.client.start({ organizationId: 'default', graph, input: { account: 7, i } })).executionId);
  const stats = await engine.client.queueStats('default', 'account:7');
  expect(stats.ref).toBe('account:7');
  expect(stats.maxConcurrent).toBe(2);
  expect(stats.active + stats.queued).toBeGreaterThan(0);
  const views = await Promise.all(ids.map((id) => engine.client.waitForEnd('default', id)));
  expect(views.every((view) => view.status === 'completed')).toBe(true);
  const starts = views.map((view) => Date.parse(view.startedAt!));
  for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]);
  expect(maxOverlap(views)).toBeLessThanOrEqual(2);
  expect(maxOverlap(views)).toBe(2);
  const queued = await engine.pool.query('SELECT count(*)::int AS n FROM executions WHERE id = ANY($1) AND queued_at IS NOT NULL', [ids]);
  expect(queued.rows[0].n).toBe(50);
  const after = await engine.client.queueStats('default', 'account:7');
  expect(after).toMatchObject({ active: 0, queued: 0, oldestQueuedAt: null });
}, 180_000);

test('keys are independent, and a cancelled queued execution never starts and frees its place', async () => {
  const graph = limited(graphId('keys'), 1, 600);
  const a1 = await engine.client.start({ organizationId: 'default', graph, input: { account: 1 } });
  const a2 = await engine.client.start({ organizationId: 'default', graph, input: { account: 1 } });
  const a3 = await engine.client.start({ organizationId: 'default', graph, input: { account: 1 } });
  const b1 = await engine.client.start({ organizationId: 'default', graph, input: { account: 2 } });
  const c1 = await engine.client.start({ organizationId: 'default', graph, input: { account: 3 } });
  // a2 waits behind a1: cancel it while queued
  for (let i = 0; i < 50; i++) {
    const view = await engine.client.status('default', a2.executionId);
    if (view.status === 'queued') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect((await engine.client.status('default', a2.executionId)).status).toBe('queued');
  await engine.client.cancel('default', a2.executionId);
  const [v1, v2, v3, vb, vc] = await Promise.all([a1, a2, a3, b1, c1].map((s) => engine.client.waitForEnd('default', s.executionId)));
  expect(v2.status).toBe('cancelled');
  expect(v2.steps.work.status).toBe('cancelled');
  expect((await engine.pool.query('SELECT 1 FROM execution_step_attempts WHERE execution_id = $1', [a2.executionId])).rowCount).toBe(0);
  expect([v1, v3, vb, vc].every((v) => v.status === 'completed')).toBe(true);
  // b1 and c1 did not wait for account 1
  expect(Date.parse(vb.startedAt!)).toBeLessThan(Date.parse(v1.finishedAt!));
  expect(Date.parse(vc.startedAt!)).toBeLessThan(Date.parse(v1.finishedAt!));
  // a3 started after a1 finished, not after a2 (which never ran)
  expect(Date.parse(v3.startedAt!)).toBeGreaterThanOrEqual(Date.parse(v1.finishedAt!));
});

test('a failed execution releases its slot', async () => {
  const graph = {
    id: graphId('release'),
    version: 1,
    settings: { concurrency: { key: "'fail-key'", max: 1 }, onFailure: 'fail' },
    nodes: [{ id: 'work', type: 'mock', config: { fail: { nonRetryable: true } } }],
  };
  const first = await engine.client.start({ organizationId: 'default', graph });
  const second = await engine.client.start({ organizationId: 'default', graph });
  expect((await engine.client.waitForEnd('default', first.executionId)).status).toBe('failed');
  expect((await engine.client.waitForEnd('default', second.executionId)).status).toBe('failed');
  expect(await engine.client.queueStats('default', 'fail-key')).toMatchObject({ active: 0, queued: 0 });
});
