/**
 * Schedules (DESIGN §10) on the real stack: Temporal Schedules `sched:<org>:<id>` whose runs are
 * executions like any other (mirrored, marked with the schedule, tagged for search, bound by
 * the graph's deadline and concurrency slots); pause, resume and delete; tenancy and roles;
 * and `wf schedule`.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { PROJECT_TEMPORAL_CLI } from '../../src/stack/temporal-cli';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { sleep, waitFor, waitUntil } from '../helpers/wait-for';
import { runWf } from '../helpers/wf-cli';

const ORG = 'sched-a';
const OTHER = 'sched-b';
let engine: TestEngine;
let api: TestApi;
let operator: string;

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  operator = await api.key(ORG, 'operator');
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

interface Row {
  id: string;
  status: string;
  graph_version: number;
  input: unknown;
  schedule_id: string | null;
  started_at: string | null;
  finished_at: string | null;
}

async function runsOf(scheduleId: string): Promise<Row[]> {
  const found = await engine.pool.query<Row>('SELECT id, status, graph_version, input, schedule_id, started_at, finished_at FROM executions WHERE schedule_id = $1 ORDER BY id', [scheduleId]);
  return found.rows;
}

async function storeGraph(org: string, document: Record<string, unknown>): Promise<void> {
  await engine.client.storeGraph(org, document);
}

function temporalScheduleList(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PROJECT_TEMPORAL_CLI, ['schedule', 'list', '--address', inject('temporalAddress'), '--namespace', 'default', '--output', 'json'], { timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

const post = (url: string, key: string, payload?: unknown) => api.app.inject({ method: 'POST', url, headers: auth(key), ...(payload === undefined ? {} : { payload: payload as object }) });
const get = (url: string, key: string) => api.app.inject({ method: 'GET', url, headers: auth(key) });

describe('/api/v1/schedules', () => {
  test('a schedule pins the latest version, runs as mirrored executions marked with it, pauses, resumes and is deleted', async () => {
    const id = graphId('every-second');
    await storeGraph(ORG, { id, version: 1, nodes: [{ id: 'echo', type: 'transform', config: { output: { v: 1 } } }] });
    await storeGraph(ORG, { id, version: 2, nodes: [{ id: 'echo', type: 'transform', config: { output: { got: { $expr: 'input.n' }, run: { $expr: 'execution.id' } } } }] });

    const created = await post('/api/v1/schedules', operator, { graphId: id, every: '1s', input: { n: 7 } });
    expect(created.statusCode).toBe(201);
    const schedule = created.json();
    expect(schedule).toMatchObject({ graphId: id, graphVersion: 2, pinnedLatest: true, spec: { every: '1s' }, overlap: 'skip', paused: false, input: { n: 7 } });
    const temporalId = `sched:${ORG}:${schedule.id}`;
    expect(schedule.temporalScheduleId).toBe(temporalId);

    // Two runs, each its own execution in the mirror, with its own id, the schedule's mark and the pinned version.
    const runs = await waitFor('two completed scheduled executions', 30_000, async () => {
      const rows = (await runsOf(schedule.id)).filter((row) => row.status === 'completed');
      return rows.length >= 2 ? rows : undefined;
    }, 200);
    expect(new Set(runs.map((row) => row.id)).size).toBe(runs.length);
    for (const row of runs) {
      expect(row.id.startsWith(`${temporalId}-`)).toBe(true);
      expect(row).toMatchObject({ graph_version: 2, input: { n: 7 }, schedule_id: schedule.id });
    }
    const view = await get(`/api/v1/executions/${encodeURIComponent(runs[0].id)}`, operator);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ executionId: runs[0].id, scheduleId: schedule.id, status: 'completed', graphVersion: 2 });
    expect((await engine.client.status(ORG, runs[0].id)).scheduleId).toBe(schedule.id);
    const output = await engine.pool.query('SELECT output FROM executions WHERE id = $1', [runs[0].id]);
    expect(output.rows[0].output).toEqual({ got: 7, run: runs[0].id });

    // Started as the client starts executions: search attributes, memo, task queue.
    const description = await engine.temporal.workflow.getHandle(runs[0].id).describe();
    expect(description.taskQueue).toBe(engine.taskQueue);
    expect(description.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value])).toEqual(
      expect.arrayContaining([['OrganizationId', ORG], ['GraphId', id], ['GraphVersion', 2]]),
    );
    expect(await description.memo).toMatchObject({ scheduleId: schedule.id });

    // In Temporal's own list (its visibility lags: wait for it).
    await waitUntil(async () => (await temporalScheduleList()).includes(temporalId), 'the schedule in `temporal schedule list`');

    const paused = await post(`/api/v1/schedules/${schedule.id}/pause`, operator);
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ id: schedule.id, paused: true, nextRunAt: null });
    expect((await get(`/api/v1/schedules/${schedule.id}`, operator)).json().paused).toBe(true);
    // A run that had started just before the pause still ends; after that, none starts.
    await sleep(1500);
    const atPause = (await runsOf(schedule.id)).length;
    await sleep(3000);
    expect((await runsOf(schedule.id)).length).toBe(atPause);

    const resumed = await post(`/api/v1/schedules/${schedule.id}/resume`, operator);
    expect(resumed.json()).toMatchObject({ paused: false });
    await waitFor('a run after resume', 30_000, async () => ((await runsOf(schedule.id)).length > atPause ? true : undefined), 200);

    const listed = await get('/api/v1/schedules', operator);
    expect(listed.json().map((item: { id: string }) => item.id)).toContain(schedule.id);

    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: auth(operator) })).statusCode).toBe(204);
    expect((await get(`/api/v1/schedules/${schedule.id}`, operator)).statusCode).toBe(404);
    expect((await get('/api/v1/schedules', operator)).json().map((item: { id: string }) => item.id)).not.toContain(schedule.id);
    await expect(engine.temporal.schedule.getHandle(temporalId).describe()).rejects.toThrow();
    await waitUntil(async () => !(await temporalScheduleList()).includes(temporalId), 'the schedule gone from `temporal schedule list`');
    // Nothing runs once deleted.
    await sleep(1500);
    const atDelete = (await runsOf(schedule.id)).length;
    await sleep(2500);
    expect((await runsOf(schedule.id)).length).toBe(atDelete);
  });

  test("scheduled runs keep the graph's deadline and its concurrency slots", async () => {
    const slow = graphId('sched-slots');
    await storeGraph(ORG, {
      id: slow,
      version: 1,
      settings: { concurrency: { key: "'sched:' + execution.graphId", max: 1 } },
      nodes: [{ id: 'work', type: 'mock', config: { delayMs: 2000, output: { ok: true } } }],
    });
    const late = graphId('sched-deadline');
    await storeGraph(ORG, { id: late, version: 1, settings: { deadline: '1s', onFailure: 'fail' }, nodes: [{ id: 'nap', type: 'delay', config: { duration: '5s' } }] });

    const slots = (await post('/api/v1/schedules', operator, { graphId: slow, version: 1, every: '1s', overlap: 'allow' })).json();
    expect(slots.overlap).toBe('allow');
    const deadline = (await post('/api/v1/schedules', operator, { graphId: late, every: '2s' })).json();
    try {
      // Runs overlap in Temporal (allow), but the key's one slot lets one work at a time.
      const done = await waitFor('two completed runs under one slot', 40_000, async () => {
        const rows = (await runsOf(slots.id)).filter((row) => row.status === 'completed');
        return rows.length >= 2 ? rows : undefined;
      }, 200);
      const queued = await engine.pool.query('SELECT count(*)::int AS n FROM executions WHERE schedule_id = $1 AND concurrency_key = $2', [slots.id, `sched:${slow}`]);
      expect(queued.rows[0].n).toBeGreaterThanOrEqual(2);
      const spans = done.map((row) => [Date.parse(row.started_at!), Date.parse(row.finished_at!)] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i += 1) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1] - 50);

      const timedOut = await waitFor('a scheduled run past its deadline', 30_000, async () => (await runsOf(deadline.id)).find((row) => row.status === 'timed_out'), 200);
      expect(timedOut.schedule_id).toBe(deadline.id);
    } finally {
      for (const id of [slots.id, deadline.id]) await api.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${id}`, headers: auth(operator) });
    }
  });

  test('bad requests are 400 with a path; unknown graphs 404; nothing is left behind', async () => {
    const id = graphId('sched-bad');
    await storeGraph(ORG, { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    const problems = async (payload: unknown) => {
      const response = await post('/api/v1/schedules', operator, payload);
      expect(response.statusCode).toBe(400);
      return response.json().error.problems.map((problem: { path: string }) => problem.path);
    };
    expect(await problems({ graphId: id, cron: 'not a cron' })).toEqual(['$.cron']);
    expect(await problems({ graphId: id, cron: '61 * * * *' })).toEqual(['$.cron']);
    expect(await problems({ graphId: id, every: '1500ms' })).toEqual(['$.every']);
    expect(await problems({ graphId: id, every: 'often' })).toEqual(['$.every']);
    expect(await problems({ graphId: id })).toEqual(['$']);
    expect(await problems({ graphId: id, every: '1s', overlap: 'sometimes' })).toEqual(['$.body.overlap']);
    expect(await problems({ graphId: id, every: '1s', extra: true })).toEqual(['$.body.extra']);
    expect((await post('/api/v1/schedules', operator, { graphId: 'no-such-graph', every: '1s' })).statusCode).toBe(404);
    expect((await post('/api/v1/schedules', operator, { graphId: id, version: 9, every: '1s' })).statusCode).toBe(404);
    const rows = await engine.pool.query('SELECT id FROM schedules WHERE graph_id = $1', [id]);
    expect(rows.rows).toEqual([]);
  });

  test("another organization's schedule is not found; a viewer lists but cannot change", async () => {
    const id = graphId('sched-tenancy');
    await storeGraph(ORG, { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    const schedule = (await post('/api/v1/schedules', operator, { graphId: id, cron: '0 0 1 1 *' })).json();
    const other = await api.key(OTHER, 'admin');
    expect((await get(`/api/v1/schedules/${schedule.id}`, other)).statusCode).toBe(404);
    expect((await post(`/api/v1/schedules/${schedule.id}/pause`, other)).statusCode).toBe(404);
    expect((await post(`/api/v1/schedules/${schedule.id}/resume`, other)).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: auth(other) })).statusCode).toBe(404);
    expect((await get('/api/v1/schedules', other)).json()).toEqual([]);
    expect((await post('/api/v1/schedules', other, { graphId: id, every: '1s' })).statusCode).toBe(404); // org A's graph
    expect((await get(`/api/v1/schedules/${schedule.id}`, operator)).json()).toMatchObject({ paused: false, spec: { cron: '0 0 1 1 *' } });

    const viewer = await api.key(ORG, 'viewer');
    expect((await get('/api/v1/schedules', viewer)).statusCode).toBe(200);
    expect((await get(`/api/v1/schedules/${schedule.id}`, viewer)).statusCode).toBe(200);
    expect((await post(`/api/v1/schedules/${schedule.id}/pause`, viewer)).statusCode).toBe(403);
    expect((await post('/api/v1/schedules', viewer, { graphId: id, every: '1s' })).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: auth(viewer) })).statusCode).toBe(403);
    expect((await get('/api/v1/schedules', await api.key(ORG, 'submitter'))).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${schedule.id}`, headers: auth(operator) })).statusCode).toBe(204);
  });
});

describe('wf schedule', () => {
  const wf = (args: string[]) => runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_ORG: ORG });

  test('create, list, pause, resume and delete, with the documented JSON; bad flags exit 2', async () => {
    const id = graphId('cli-sched');
    await storeGraph(ORG, { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] });
    await storeGraph(ORG, { id, version: 2, nodes: [{ id: 'b', type: 'noop' }] });

    const text = await wf(['schedule', 'create', id, '--cron', '0 0 1 1 *']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('pinned to the latest, version 2');

    const created = await wf(['schedule', 'create', `${id}@1`, '--every', '2s', '--input', '{"n":1}', '--overlap', 'buffer', '--json']);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(Object.keys(body).sort()).toEqual(['graphId', 'graphVersion', 'id', 'overlap', 'paused', 'spec']);
    expect(body).toMatchObject({ graphId: id, graphVersion: 1, spec: { every: '2s' }, overlap: 'buffer', paused: false });

    const [run] = await waitFor('a run of the CLI schedule', 30_000, async () => {
      const rows = (await runsOf(body.id)).filter((row) => row.status === 'completed');
      return rows.length > 0 ? rows : undefined;
    }, 200);
    const status = await wf(['status', run.id, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ executionId: run.id, status: 'completed', scheduleId: body.id });
    expect((await wf(['status', run.id])).stdout).toContain(`started by schedule ${body.id}`);

    const listed = JSON.parse((await wf(['schedule', 'list', '--json'])).stdout);
    expect(listed).toEqual(expect.arrayContaining([body]));
    expect(JSON.parse((await wf(['schedule', 'pause', body.id, '--json'])).stdout)).toEqual({ ...body, paused: true });
    expect(JSON.parse((await wf(['schedule', 'resume', body.id, '--json'])).stdout)).toEqual(body);
    expect((await wf(['schedule', 'delete', body.id])).code).toBe(0);
    expect(JSON.parse((await wf(['schedule', 'list', '--json'])).stdout).map((item: { id: string }) => item.id)).not.toContain(body.id);
    expect((await wf(['schedule', 'delete', body.id])).code).toBe(2);
    expect((await wf(['schedule', 'pause', body.id, '--org', OTHER])).code).toBe(2);

    const badCron = await wf(['schedule', 'create', id, '--cron', 'every tuesday']);
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toContain('$.cron');
    const badEvery = await wf(['schedule', 'create', id, '--every', '10x']);
    expect(badEvery.code).toBe(2);
    expect(badEvery.stderr).toContain('$.every');
    expect((await wf(['schedule', 'create', id])).stderr).toContain('exactly one of cron');
    expect((await wf(['schedule', 'create', `${id}@zero`, '--every', '1s'])).code).toBe(2);
    expect((await wf(['schedule', 'create', id, '--every', '1s', '--overlap', 'never'])).stderr).toContain('$.overlap');
    for (const output of [badCron, badEvery]) expect(output.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
