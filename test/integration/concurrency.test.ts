/**
 * Per-key FIFO concurrency (settings.concurrency) on the real stack: at most `max` executions
 * of a key hold a slot, the others wait `queued` and start in arrival order.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { ExecutionView } from '../../src/client';
import { slotsWorkflowId } from '../../src/workflows/contracts/names';
import { acquireSlotSignal, queueStatsQuery, type SlotRequest } from '../../src/workflows/contracts/slots';
import type { concurrencySlots } from '../../src/workflows/slots-workflow';
import { startTestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitUntil } from '../helpers/wait-for';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

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

test('50 executions on one key with max 2 and two workers: submission order, never more than 2 at once, all complete, across the slots workflow continuing as new', async () => {
  const graph = limited(graphId('fifo'), 2);
  const since = new Date(Date.now() - 1000).toISOString();
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
  // The client asks before the workflow runs, so a slot may be granted before the workflow's
  // first write: queued_at is then the grant, never after started_at.
  const disordered = await engine.pool.query('SELECT id FROM executions WHERE id = ANY($1) AND queued_at > started_at', [ids]);
  expect(disordered.rows).toEqual([]);
  const after = await engine.client.queueStats('default', 'account:7');
  expect(after).toMatchObject({ active: 0, queued: 0, oldestQueuedAt: null });
  // ~15 history events per execution: the slots workflow continued as new on the way, carrying its queue.
  const runs = async (): Promise<number> => {
    let n = 0;
    for await (const _ of engine.temporal.workflow.list({ query: `WorkflowId = '${slotsWorkflowId('default', 'account:7')}' AND StartTime > '${since}'` })) n++;
    return n;
  };
  await waitUntil(async () => (await runs()) >= 2, 'a second run of the slots workflow', 10_000);
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

test('queue stats: the client, the API route, wf queue stats and /metrics agree', async () => {
  const graph = limited(graphId('stats'), 1, 1500);
  const started = [];
  for (let i = 0; i < 3; i++) started.push(await engine.client.start({ organizationId: 'default', graph, input: { account: 'stats' } }));
  await waitUntil(async () => (await engine.client.queueStats('default', 'account:stats')).active === 1, 'a slot to be held');
  const stats = await engine.client.queueStats('default', 'account:stats');
  expect(stats).toMatchObject({ ref: 'account:stats', maxConcurrent: 1, active: 1, queued: 2 });
  expect(Date.parse(stats.oldestQueuedAt!)).not.toBeNaN();

  const api = await startTestApi(engine);
  try {
    const key = await api.key('default', 'viewer');
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/actions/account:stats/queue-stats', headers: { authorization: `Bearer ${key}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ref: 'account:stats', maxConcurrent: 1, active: 1, queued: 2 });
    const metrics = await api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${key}` } });
    expect(metrics.body).toContain('wf_concurrency_slots{organization="default",key="account:stats",state="queued"} 2');
    const other = await api.key('other-org', 'admin');
    const foreign = await api.app.inject({ method: 'GET', url: '/api/v1/actions/account:stats/queue-stats', headers: { authorization: `Bearer ${other}` } });
    expect(foreign.json()).toMatchObject({ active: 0, queued: 0, maxConcurrent: null });
  } finally {
    await api.app.close();
  }

  const cli = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [fileURLToPath(new URL('../../bin/wf.js', import.meta.url)), 'queue', 'stats', 'account:stats', '--json'], {
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue },
    }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  expect(JSON.parse(cli)).toMatchObject({ ref: 'account:stats', maxConcurrent: 1 });
  await Promise.all(started.map((s) => engine.client.waitForEnd('default', s.executionId)));
  expect(await engine.client.queueStats('default', 'account:stats')).toMatchObject({ active: 0, queued: 0 });
}, 60_000);

test('a worker killed while its execution holds the slot leaks nothing: the next one runs after it ends', async () => {
  const other = await startTestEngine({ worker: false });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: other.databaseUrl, WF_TASK_QUEUE: other.taskQueue, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const graph = {
      id: graphId('kill-slot'),
      version: 1,
      settings: { concurrency: { key: "'kill-key'", max: 1 } },
      nodes: [{ id: 'work', type: 'mock', config: { delayMs: 1500 }, timeout: { heartbeat: '2s' }, retry: { initialInterval: '100ms' } }],
    };
    const first = await other.client.start({ organizationId: 'default', graph });
    const second = await other.client.start({ organizationId: 'default', graph });
    // The child worker bundles the workflows from source before it polls: on a loaded machine that alone can take half a minute.
    await waitUntil(async () => (await other.client.status('default', first.executionId)).steps.work?.status === 'running', 'the first execution to run', 100_000);
    child.kill('SIGKILL');
    await exited;
    await other.startWorker();
    const [v1, v2] = await Promise.all([first, second].map((s) => other.client.waitForEnd('default', s.executionId)));
    expect([v1.status, v2.status]).toEqual(['completed', 'completed']);
    expect(Date.parse(v2.startedAt!)).toBeGreaterThanOrEqual(Date.parse(v1.finishedAt!));
    expect(await other.client.queueStats('default', 'kill-key')).toMatchObject({ active: 0, queued: 0 });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await other.stop();
  }
}, 120_000);

test('a raised max applies to the next grants', async () => {
  const id = graphId('raise');
  const graph = (version: number, max: number) => ({ id, version, settings: { concurrency: { key: "'raise-key'", max } }, nodes: [{ id: 'work', type: 'mock', config: { delayMs: 2000 } }] });
  const first = await engine.client.start({ organizationId: 'default', graph: graph(1, 1) });
  const second = await engine.client.start({ organizationId: 'default', graph: graph(1, 1) });
  await waitUntil(async () => {
    const stats = await engine.client.queueStats('default', 'raise-key');
    return stats.active === 1 && stats.queued === 1;
  }, 'one active, one queued');
  const third = await engine.client.start({ organizationId: 'default', graph: graph(2, 3) });
  await waitUntil(async () => (await engine.client.queueStats('default', 'raise-key')).active === 3, 'three active after max rose to 3');
  expect(await engine.client.queueStats('default', 'raise-key')).toMatchObject({ maxConcurrent: 3, queued: 0 });
  await Promise.all([first, second, third].map((s) => engine.client.waitForEnd('default', s.executionId)));
}, 60_000);

test('a late repeated ask of an older execution does not undo a raised max', async () => {
  // Every execution asks for its slot twice (its starter, then its own workflow); the repeat
  // may arrive after a newer version raised max. Driven straight at the slots workflow so the
  // late arrival is certain, not left to timing.
  const key = `late-ask-${Date.now()}`;
  const handle = await engine.temporal.workflow.signalWithStart<typeof concurrencySlots, [SlotRequest]>('concurrencySlots', {
    workflowId: slotsWorkflowId('default', key),
    taskQueue: engine.taskQueue,
    args: [{ organizationId: 'default', key }],
    signal: acquireSlotSignal,
    signalArgs: [{ executionId: 'older', max: 1, requestedAt: new Date().toISOString() }],
  });
  await handle.signal(acquireSlotSignal, { executionId: 'newer', max: 3, requestedAt: new Date().toISOString() });
  await handle.signal(acquireSlotSignal, { executionId: 'older', max: 1, requestedAt: new Date().toISOString() });
  expect((await handle.query(queueStatsQuery)).maxConcurrent).toBe(3);
  await handle.terminate('test over');
});
