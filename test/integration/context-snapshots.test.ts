/**
 * Execution context snapshots on the real stack (DESIGN §12): after every batch of decided
 * nodes the mirror keeps a snapshot, numbered 1..n without gaps; the last one's context has
 * every node with its final status and output, a large output stays a reference and a failed
 * node's error is sanitized. They cost no Temporal activity of their own. Read through the
 * client, `wf status --context [--sequence N]` and GET /api/v1/executions/:id/context.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import type { ExecutionContextView, ExecutionView } from '../../src/client';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run } from '../helpers/graphs';
import { activitiesFromHistory, localActivityTypes } from '../helpers/history';
import { waitFor } from '../helpers/wait-for';
import { runWf } from '../helpers/wf-cli';

/** Small, so a mock's `outputBytes` goes over it cheaply. */
const INLINE_BYTES = 1024;

let engine: TestEngine;
let api: TestApi;
let viewerKey: string;
beforeAll(async () => {
  engine = await startTestEngine({ inlineOutputBytes: INLINE_BYTES });
  api = await startTestApi(engine);
  viewerKey = await api.key('default', 'viewer');
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

/** A 3-node chain (activity, inline, activity) and a fan-out of three inline nodes after it. */
const chainAndFanOut = {
  nodes: [
    { id: 'make', type: 'mock', config: { output: { status: 'made', n: { $expr: 'execution.input.n' } }, outputBytes: 4 * INLINE_BYTES } },
    { id: 'shape', type: 'transform', config: { output: { doubled: { $expr: 'nodes.make.output.n * 2' } } } },
    { id: 'check', type: 'mock', config: { output: { checked: true } } },
    { id: 'left', type: 'transform', config: { output: 'L' } },
    { id: 'middle', type: 'transform', config: { output: 'M' } },
    { id: 'right', type: 'noop' },
    { id: 'never', type: 'transform', config: { output: 'no' } },
  ],
  edges: [
    { from: 'make', to: 'shape' },
    { from: 'shape', to: 'check' },
    { from: 'check', to: 'left' },
    { from: 'check', to: 'middle' },
    { from: 'check', to: 'right' },
    { from: 'check', to: 'never', when: 'output.checked == false' },
  ],
};

function expectGapFree(view: ExecutionContextView): void {
  expect(view.snapshots.length).toBeGreaterThan(0);
  expect(view.snapshots.map((snapshot) => snapshot.sequence)).toEqual(view.snapshots.map((_, i) => i + 1));
  expect(view.sequence).toBe(view.snapshots.length);
  expect(view.takenAt).toBe(view.snapshots.at(-1)!.takenAt);
}

describe('a completed chain with a fan-out', () => {
  let execution: ExecutionView;
  let view: ExecutionContextView;
  beforeAll(async () => {
    execution = await run(engine, { ...chainAndFanOut, id: graphId('context-chain') }, { n: 21 });
    view = await engine.client.context('default', execution.executionId);
  });

  test('snapshots run 1..n; the last context has every node with its final status and output', () => {
    expect(execution.status).toBe('completed');
    expectGapFree(view);
    expect(view.status).toBe('completed');
    expect(view.context.input).toEqual({ n: 21 });
    const statuses = Object.fromEntries(Object.entries(view.context.nodes).map(([id, node]) => [id, node.status]));
    expect(statuses).toEqual(Object.fromEntries(Object.entries(execution.steps).map(([id, step]) => [id, step.status])));
    expect(statuses).toEqual({ make: 'completed', shape: 'completed', check: 'completed', left: 'completed', middle: 'completed', right: 'completed', never: 'skipped' });
    expect(view.context.nodes.shape).toEqual({ status: 'completed', nodeType: 'transform', output: { doubled: 42 } });
    expect(view.context.nodes.check).toEqual({ status: 'completed', nodeType: 'mock', output: { checked: true } });
    expect(view.context.nodes.left.output).toBe('L');
    // A noop hands on its input.
    expect(view.context.nodes.right).toEqual({ status: 'completed', nodeType: 'noop', output: { checked: true } });
    expect(view.context.nodes.never).toEqual({ status: 'skipped', nodeType: 'transform' });
    // Every node was decided in some snapshot, and each snapshot's nodes are in the context from then on.
    expect(new Set(view.snapshots.flatMap((snapshot) => snapshot.nodeIds))).toEqual(new Set(Object.keys(execution.steps)));
  });

  test('a large output stays a reference in the snapshot', async () => {
    const output = view.context.nodes.make.output as { status: string; n: number; filler: { $payload: string; bytes: number } };
    expect(output.status).toBe('made');
    expect(output.n).toBe(21);
    expect(output.filler).toEqual({ $payload: expect.any(String), bytes: 4 * INLINE_BYTES + 2 });
    const rows = await engine.pool.query<{ size: number; text: string }>('SELECT pg_column_size(decided) AS size, decided::text AS text FROM execution_context_snapshots WHERE execution_id = $1', [execution.executionId]);
    for (const row of rows.rows) {
      expect(row.text).not.toContain('xxxxxxxxxx');
      expect(row.size).toBeLessThan(INLINE_BYTES);
    }
  });

  test('an earlier sequence shows the context as it was then: a subset of the later ones', async () => {
    let previous: string[] = [];
    for (const { sequence, nodeIds } of view.snapshots) {
      const at = await engine.client.context('default', execution.executionId, sequence);
      expect(at.sequence).toBe(sequence);
      const ids = Object.keys(at.context.nodes);
      expect(ids).toEqual(expect.arrayContaining([...previous, ...nodeIds]));
      expect(ids.length).toBe(new Set([...previous, ...nodeIds]).size);
      previous = ids;
    }
  });

  test('snapshots cost no Temporal activity: only the mock nodes are activities, only mirror flushes are local', async () => {
    const activities = await activitiesFromHistory(engine.temporal, execution.executionId);
    expect(activities.map((activity) => activity.activityId).sort()).toEqual(['check', 'make']);
    expect(new Set(await localActivityTypes(engine.temporal, execution.executionId))).toEqual(new Set(['mirrorFlush']));
  });

  test('wf status --context prints the context and the snapshots; --json the same view as the client; --sequence picks one', async () => {
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue };
    const text = await runWf(['status', execution.executionId, '--context'], env);
    expect(text.code, text.stderr).toBe(0);
    const latest = view.snapshots.length;
    expect(text.stdout).toContain(`execution ${execution.executionId} (completed): context at snapshot ${latest} of ${latest}`);
    expect(text.stdout).toMatch(/\n {2}shape +completed +output: \{"doubled":42\}\n/);
    expect(text.stdout).toMatch(/\n {2}never +skipped\n/);
    expect(text.stdout).toContain('"$payload"');
    expect(text.stdout).toContain('snapshots:');

    const json = await runWf(['status', execution.executionId, '--context', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(view);

    const first = await runWf(['status', execution.executionId, '--sequence', '1', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual(await engine.client.context('default', execution.executionId, 1));

    const beyond = await runWf(['status', execution.executionId, '--context', '--sequence', String(latest + 1)], env);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain(`has no context snapshot ${latest + 1}: its snapshots are 1 to ${latest}`);
    const notANumber = await runWf(['status', execution.executionId, '--context', '--sequence', 'last'], env);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--sequence "last": must be a snapshot number');
    const unknown = await runWf(['status', 'no-such-execution', '--context'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('execution "no-such-execution" not found');
    const otherOrg = await runWf(['status', execution.executionId, '--context', '--org', 'another-org'], env);
    expect(otherOrg.code).toBe(2);
    expect(otherOrg.stderr).toContain(`execution "${execution.executionId}" not found`);
    for (const result of [text, json, beyond, notANumber, unknown, otherOrg]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('GET /api/v1/executions/:id/context: a viewer reads it; ?sequence= picks one; out of range is 400 naming the range; unknown is 404', async () => {
    const get = (query: string, id = execution.executionId) => api.app.inject({ method: 'GET', url: `/api/v1/executions/${id}/context${query}`, headers: auth(viewerKey) });
    const latest = await get('');
    expect(latest.statusCode, latest.body).toBe(200);
    expect(latest.json()).toEqual(view);
    const first = await get('?sequence=1');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual(await engine.client.context('default', execution.executionId, 1));

    const beyond = await get(`?sequence=${view.snapshots.length + 1}`);
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().error).toMatchObject({ type: 'InvalidRequest', message: expect.stringContaining(`its snapshots are 1 to ${view.snapshots.length}`), problems: [{ path: '$.sequence', message: `must be an integer from 1 to ${view.snapshots.length}` }] });
    for (const bad of ['0', '-1', 'x', '1.5']) {
      const refused = await get(`?sequence=${bad}`);
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json().error.problems[0].path).toBe('$.query.sequence');
    }
    const unknown = await get('', 'no-such-execution');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({ type: 'NotFound', message: 'execution "no-such-execution" not found' });
  });
});

test("a failed node's error is in the context, sanitized: no stack trace, no secret", async () => {
  const execution = await run(engine, {
    id: graphId('context-fail'),
    nodes: [
      { id: 'first', type: 'transform', config: { output: { ok: true } } },
      { id: 'boom', type: 'mock', config: { fail: { type: 'CardDeclined', message: 'declined, token=abc123secret\n    at charge (/srv/pay.js:10:5)', nonRetryable: true } } },
    ],
    edges: [{ from: 'first', to: 'boom' }],
  });
  expect(execution.status).toBe('failed');
  const view = await engine.client.context('default', execution.executionId);
  expectGapFree(view);
  expect(view.status).toBe('failed');
  expect(view.context.nodes.first).toEqual({ status: 'completed', nodeType: 'transform', output: { ok: true } });
  expect(view.context.nodes.boom).toEqual({ status: 'failed', nodeType: 'mock', error: { nodeId: 'boom', type: 'CardDeclined', message: 'declined, token=***', attempts: 1 } });
  const rows = await engine.pool.query<{ text: string }>('SELECT decided::text AS text FROM execution_context_snapshots WHERE execution_id = $1', [execution.executionId]);
  for (const row of rows.rows) {
    expect(row.text).not.toContain('abc123secret');
    expect(row.text).not.toContain('/srv/pay.js');
  }
  const cli = await runWf(['status', execution.executionId, '--context'], { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue });
  expect(cli.code).toBe(1); // as `wf status` of a failed execution
  expect(cli.stdout).toMatch(/\n {2}boom +failed +CardDeclined: declined, token=\*\*\*/);
});

test('while an execution waits, its snapshots show what was decided so far; they grow as it goes on', async () => {
  const started = await engine.client.start({
    organizationId: 'default',
    graph: {
      id: graphId('context-wait'),
      version: 1,
      nodes: [
        { id: 'before', type: 'transform', config: { output: 'b' } },
        { id: 'hold', type: 'wait', config: { signal: 'go' } },
        { id: 'after', type: 'transform', config: { output: { $expr: 'nodes.hold.output.word' } } },
      ],
      edges: [
        { from: 'before', to: 'hold' },
        { from: 'hold', to: 'after' },
      ],
    },
    input: null,
  });
  const waiting = await waitFor('the snapshot of the node before the wait', 30_000, async () => {
    const view = await engine.client.context('default', started.executionId);
    return view.snapshots.length > 0 ? view : undefined;
  });
  expect(waiting.status).toBe('running');
  expect(waiting.context.nodes).toEqual({ before: { status: 'completed', nodeType: 'transform', output: 'b' } });
  await engine.client.signal('default', started.executionId, 'go', { word: 'done' });
  await engine.client.waitForEnd('default', started.executionId);
  const done = await engine.client.context('default', started.executionId);
  expectGapFree(done);
  expect(done.snapshots.length).toBeGreaterThan(waiting.snapshots.length);
  expect(done.context.nodes.hold).toEqual({ status: 'completed', nodeType: 'wait', output: { word: 'done' } });
  expect(done.context.nodes.after).toEqual({ status: 'completed', nodeType: 'transform', output: 'done' });
  // The first snapshot still says what it said while the execution waited.
  expect((await engine.client.context('default', started.executionId, waiting.sequence)).context.nodes).toEqual(waiting.context.nodes);
});
