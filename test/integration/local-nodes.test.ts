/**
 * Fast nodes (DESIGN §11): a `"local": true` node runs as a Temporal local activity, with the
 * same retries, attempts, errors and mirror rows as an ordinary activity node. The history
 * shows a marker per local attempt result instead of ActivityTaskScheduled events.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { executionText } from '../../src/cli/execution-json';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { run, statuses } from '../helpers/graphs';
import { activitiesFromHistory, localActivityTypes } from '../helpers/history';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

const fast = { local: true, timeout: { startToClose: '5s' }, retry: { initialInterval: '100ms' } };

async function attemptRows(executionId: string, nodeId: string, kind = 'run'): Promise<[number, string][]> {
  const found = await engine.pool.query<{ attempt: number; status: string }>('SELECT attempt, status FROM execution_step_attempts WHERE execution_id = $1 AND node_id = $2 AND kind = $3 ORDER BY attempt', [executionId, nodeId, kind]);
  return found.rows.map((row) => [row.attempt, row.status]);
}

async function localColumn(executionId: string): Promise<Record<string, boolean>> {
  const found = await engine.pool.query<{ node_id: string; local: boolean }>('SELECT node_id, local FROM execution_steps WHERE execution_id = $1', [executionId]);
  return Object.fromEntries(found.rows.map((row) => [row.node_id, row.local]));
}

describe('a local node', () => {
  test('completes as a local activity: no ActivityTaskScheduled for it, local in the mirror and in wf status', async () => {
    const view = await run(
      engine,
      {
        nodes: [
          { id: 'prepare', type: 'transform', config: { output: { n: { $expr: 'input.n + 1' } } } },
          // delayMs makes the mock heartbeat once, which a local activity must tolerate.
          { id: 'quick', type: 'mock', ...fast, config: { delayMs: 1100, output: { n: { $expr: 'input.n * 10' } } } },
          { id: 'quicker', type: 'mock', ...fast },
          { id: 'ordinary', type: 'mock' },
        ],
        edges: [
          { from: 'prepare', to: 'quick' },
          { from: 'quick', to: 'quicker' },
          { from: 'quicker', to: 'ordinary' },
        ],
      },
      { n: 1 },
    );
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ n: 20 });
    expect(view.steps.quick).toMatchObject({ status: 'completed', attempts: 1, local: true });
    expect(view.steps.quicker).toMatchObject({ status: 'completed', attempts: 1, local: true });
    expect(view.steps.ordinary).toMatchObject({ status: 'completed', attempts: 1 });
    expect(view.steps.ordinary).not.toHaveProperty('local');
    // The transform's completion rode along with the local `quick`, as with an ordinary carrier.
    expect(view.steps.prepare).toMatchObject({ status: 'completed' });
    expect(await localColumn(view.executionId)).toEqual({ prepare: false, quick: true, quicker: true, ordinary: false });
    expect(await attemptRows(view.executionId, 'quick')).toEqual([[1, 'completed']]);

    // Only the ordinary node is an activity task; the local ones are markers (besides the mirror flushes).
    const activities = await activitiesFromHistory(engine.temporal, view.executionId);
    expect(activities.map((a) => a.activityId)).toEqual(['ordinary']);
    expect((await localActivityTypes(engine.temporal, view.executionId)).filter((type) => type !== 'mirrorFlush')).toEqual(['mock', 'mock']);

    const text = executionText(view);
    expect(text).toMatch(/ quick +completed +1 attempt .*local/);
    expect(text).not.toMatch(/ ordinary .*local/);
  });

  test('is retried with the same policy: failAttempts 2 gives 3 attempts in the mirror', async () => {
    const view = await run(engine, { nodes: [{ id: 'flaky', type: 'mock', ...fast, config: { failAttempts: 2, output: 'ok' } }] });
    expect(view.status).toBe('completed');
    expect(view.output).toBe('ok');
    expect(view.steps.flaky).toMatchObject({ status: 'completed', attempts: 3, local: true });
    expect(await attemptRows(view.executionId, 'flaky')).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(await activitiesFromHistory(engine.temporal, view.executionId)).toEqual([]);
  });

  test('fails for good into the usual error handling: the error edge is taken with its type and attempts', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'charge', type: 'mock', ...fast, retry: { maxAttempts: 2, initialInterval: '100ms' }, config: { fail: { type: 'CardDeclined', message: 'declined' } } },
        { id: 'apologise', type: 'transform', config: { output: { failed: { $expr: 'input.error.nodeId' }, type: { $expr: 'input.error.type' }, attempts: { $expr: 'input.error.attempts' } } } },
        { id: 'ship', type: 'mock' },
      ],
      edges: [
        { from: 'charge', to: 'apologise', on: 'error' },
        { from: 'charge', to: 'ship' },
      ],
    });
    expect(view.status).toBe('completed');
    expect(statuses(view)).toEqual({ charge: 'failed', apologise: 'completed', ship: 'skipped' });
    expect(view.output).toEqual({ failed: 'charge', type: 'CardDeclined', attempts: 2 });
    expect(view.steps.charge).toMatchObject({ attempts: 2, local: true, error: { type: 'CardDeclined', message: 'declined', attempts: 2 } });
    expect(await attemptRows(view.executionId, 'charge')).toEqual([
      [1, 'failed'],
      [2, 'failed'],
    ]);
  });

  test('a local attempt that outlives startToClose times out and is retried like an ordinary one', async () => {
    const view = await run(engine, { nodes: [{ id: 'slow', type: 'mock', local: true, timeout: { startToClose: '1s' }, retry: { maxAttempts: 2, initialInterval: '100ms' }, config: { delayMs: 3000 } }] });
    expect(view.status).toBe('failed');
    expect(view.steps.slow).toMatchObject({ status: 'failed', attempts: 2, local: true, error: { type: 'Timeout', attempts: 2 } });
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'slow', type: 'Timeout' } });
  });

  test('is compensated (with a local activity) when the execution fails for good', async () => {
    const view = await run(engine, {
      settings: { onFailure: 'fail' },
      nodes: [
        { id: 'reserve', type: 'mock', ...fast, config: { output: 'reserved' }, compensate: { type: 'mock', config: { failAttempts: 1 } } },
        { id: 'boom', type: 'mock', ...fast, config: { fail: { type: 'Broken', nonRetryable: true } } },
      ],
      edges: [{ from: 'reserve', to: 'boom' }],
    });
    expect(view.status).toBe('failed');
    expect(statuses(view)).toEqual({ reserve: 'compensated', boom: 'failed' });
    expect(view.steps.boom).toMatchObject({ attempts: 1, local: true, error: { type: 'Broken' } });
    expect(await attemptRows(view.executionId, 'reserve', 'compensate')).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
    expect(await activitiesFromHistory(engine.temporal, view.executionId)).toEqual([]);
  });
});
