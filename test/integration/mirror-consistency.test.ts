/**
 * The mirror agrees with Temporal: after executions with retries, timeouts, failures and
 * skips, every step's final status and every attempt in Postgres matches Temporal's history.
 * The worker caches no workflows, so every workflow task replays the history from the start:
 * the interpreter must be deterministic for these to complete at all.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExecutionView } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { activitiesFromHistory, localActivityCount } from '../helpers/history';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ maxCachedWorkflows: 0 });
});
afterAll(async () => engine?.stop());

const mixed = {
  version: 1,
  nodes: [
    { id: 'start', type: 'noop' },
    { id: 'flaky', type: 'mock', config: { failAttempts: 2, output: { n: 12 } }, retry: { initialInterval: '100ms' } },
    { id: 'slow', type: 'mock', config: { delayMs: 1200 }, timeout: { startToClose: '400ms' }, retry: { maxAttempts: 2, initialInterval: '100ms' } },
    { id: 'recover', type: 'mock', config: { output: 'recovered' } },
    { id: 'big', type: 'mock', config: { output: 'big' } },
    { id: 'small', type: 'mock', config: { output: 'small' } },
    { id: 'wide_1', type: 'mock' },
    { id: 'wide_2', type: 'mock' },
    { id: 'wide_3', type: 'mock' },
    { id: 'merge', type: 'mock' },
  ],
  edges: [
    { from: 'start', to: 'flaky' },
    { from: 'start', to: 'slow' },
    { from: 'slow', to: 'recover', on: 'error' },
    { from: 'flaky', to: 'big', when: 'output.n > 10' },
    { from: 'flaky', to: 'small', when: 'output.n <= 10' },
    { from: 'big', to: 'wide_1' },
    { from: 'big', to: 'wide_2' },
    { from: 'big', to: 'wide_3' },
    { from: 'wide_1', to: 'merge' },
    { from: 'wide_2', to: 'merge' },
    { from: 'wide_3', to: 'merge' },
    { from: 'small', to: 'merge' },
  ],
};

const failing = {
  version: 1,
  nodes: [
    { id: 'a', type: 'mock', config: { output: 1 } },
    { id: 'b', type: 'mock', config: { failAttempts: 5 }, retry: { maxAttempts: 3, initialInterval: '100ms' } },
    { id: 'c', type: 'mock', config: { delayMs: 20_000 }, timeout: { heartbeat: '2s' } },
    { id: 'd', type: 'mock' },
  ],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'a', to: 'c' },
    { from: 'b', to: 'd' },
  ],
};

async function attemptsInMirror(executionId: string): Promise<Map<string, { attempt: number; status: string }[]>> {
  const rows = await engine.pool.query<{ node_id: string; attempt: number; status: string }>(
    'SELECT node_id, attempt, status FROM execution_step_attempts WHERE execution_id = $1 ORDER BY node_id, attempt',
    [executionId],
  );
  const byNode = new Map<string, { attempt: number; status: string }[]>();
  for (const row of rows.rows) byNode.set(row.node_id, [...(byNode.get(row.node_id) ?? []), { attempt: row.attempt, status: row.status }]);
  return byNode;
}

async function expectMirrorMatchesHistory(view: ExecutionView, activityNodes: string[]): Promise<void> {
  const activities = await activitiesFromHistory(engine.temporal, view.executionId);
  // One activity per activity-backed node that started, named by node id, and nothing else.
  expect(activities.map((a) => a.activityId).sort()).toEqual(Object.keys(view.steps).filter((id) => activityNodes.includes(id) && view.steps[id].attempts > 0).sort());
  expect(new Set(activities.map((a) => a.activityType))).toEqual(new Set(['mock']));
  const mirrorAttempts = await attemptsInMirror(view.executionId);
  for (const activity of activities) {
    const step = view.steps[activity.activityId];
    const expectedStatus = { completed: 'completed', failed: 'failed', timed_out: 'failed', cancelled: 'cancelled', cancel_requested: 'cancelled', open: 'running' }[activity.outcome];
    expect({ node: activity.activityId, status: step.status }).toEqual({ node: activity.activityId, status: expectedStatus });
    if (activity.outcome === 'cancel_requested') continue; // attempts of a cancelled activity are not in history
    expect({ node: activity.activityId, attempts: step.attempts }).toEqual({ node: activity.activityId, attempts: activity.attempts });
    const rows = mirrorAttempts.get(activity.activityId) ?? [];
    expect(rows.map((row) => row.attempt)).toEqual(Array.from({ length: activity.attempts }, (_, i) => i + 1));
    expect(rows.slice(0, -1).every((row) => row.status === 'failed')).toBe(true);
    expect(rows.at(-1)!.status).toBe(expectedStatus);
  }
  // Nodes that never became an activity have no attempts.
  for (const [nodeId] of Object.entries(view.steps)) {
    if (!activities.some((a) => a.activityId === nodeId)) expect(mirrorAttempts.get(nodeId)).toBeUndefined();
  }
}

test('steps and attempts in Postgres match Temporal history: retries, timeouts, handled failure, skips', async () => {
  const started = await engine.client.start({ organizationId: 'default', graph: { ...mixed, id: graphId('mixed') }, input: {} });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.steps.flaky).toMatchObject({ status: 'completed', attempts: 3 });
  expect(view.steps.slow).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'Timeout' } });
  expect(view.steps.small.status).toBe('skipped');
  await expectMirrorMatchesHistory(view, mixed.nodes.filter((n) => n.type === 'mock').map((n) => n.id));
  // Bookkeeping is batched: far fewer local activities than nodes.
  expect(await localActivityCount(engine.temporal, view.executionId)).toBeLessThan(mixed.nodes.length / 2);
});

test('steps and attempts in Postgres match Temporal history: unhandled failure with a cancelled node', async () => {
  const started = await engine.client.start({ organizationId: 'default', graph: { ...failing, id: graphId('failing') }, input: {} });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('failed');
  expect(view.steps).toMatchObject({ a: { status: 'completed' }, b: { status: 'failed', attempts: 3 }, c: { status: 'cancelled' }, d: { status: 'cancelled' } });
  await expectMirrorMatchesHistory(view, ['a', 'b', 'c', 'd']);
  const executionRow = await engine.pool.query('SELECT status, error FROM executions WHERE id = $1', [view.executionId]);
  expect(executionRow.rows[0]).toMatchObject({ status: 'failed', error: { type: 'NodeFailed' } });
  const description = await engine.temporal.workflow.getHandle(view.executionId).describe();
  expect(description.status.name).toBe('FAILED');
});

test('every execution is findable in Temporal by organization and graph, with the same status as the mirror', async () => {
  const id = graphId('findable');
  const started = await engine.client.start({ organizationId: 'default', graph: { id, version: 3, nodes: [{ id: 'only', type: 'mock' }] }, input: {} });
  const view = await engine.client.waitForEnd('default', started.executionId);
  const description = await engine.temporal.workflow.getHandle(started.executionId).describe();
  expect(description.typedSearchAttributes.get({ name: 'OrganizationId', type: 'KEYWORD' })).toBe('default');
  expect(description.typedSearchAttributes.get({ name: 'GraphId', type: 'KEYWORD' })).toBe(id);
  expect(description.typedSearchAttributes.get({ name: 'GraphVersion', type: 'INT' })).toBe(3);
  expect(description.status.name).toBe('COMPLETED');
  expect(view.status).toBe('completed');
  // Visibility is eventually consistent: poll the list query briefly.
  let found: string[] = [];
  for (let i = 0; i < 50 && found.length === 0; i++) {
    found = [];
    for await (const execution of engine.temporal.workflow.list({ query: `OrganizationId = "default" AND GraphId = "${id}"` })) found.push(execution.workflowId);
    if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(found).toEqual([started.executionId]);
});
