/**
 * Long graphs continue as new (DESIGN §4): the execution drains what runs, carries the plan's
 * state into a new run and finishes there, with the same result and mirror as one run.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, statuses, stepOutput } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

test('a long chain continues as new several times and completes as if it were one run', async () => {
  const length = 24;
  const nodes = [
    { id: 'first', type: 'mock', config: { output: { seed: { $expr: 'input.seed' } } } },
    ...Array.from({ length }, (_, i) => ({ id: `step_${i}`, type: 'mock', config: { output: { i, seed: { $expr: 'input.seed' } } } })),
    { id: 'side', type: 'transform', config: { output: 'side' } },
    { id: 'last', type: 'transform', config: { output: { first: { $expr: 'nodes.first.output.seed' }, lastStep: { $expr: 'input.step_23.i' }, side: { $expr: 'input.side' } } } },
  ];
  const edges = [
    { from: 'first', to: 'step_0' },
    ...Array.from({ length: length - 1 }, (_, i) => ({ from: `step_${i}`, to: `step_${i + 1}` })),
    { from: 'first', to: 'side' },
    { from: `step_${length - 1}`, to: 'last' },
    { from: 'side', to: 'last' },
  ];
  const started = await engine.client.start({
    organizationId: 'default',
    graph: { id: graphId('long'), version: 1, nodes, edges },
    input: { seed: 7 },
    continueAsNewAtEvents: 40,
  });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  // `side` completed in the first run; its output reached `last` through the carried edge.
  expect(view.output).toEqual({ first: 7, lastStep: 23, side: 'side' });
  expect(Object.values(statuses(view)).every((status) => status === 'completed')).toBe(true);
  for (let i = 0; i < length; i++) expect(view.steps[`step_${i}`].attempts).toBe(1);
  expect(await stepOutput(engine, view.executionId, 'step_10')).toEqual({ i: 10, seed: 7 });

  // It really ran as several runs, and each node's activity ran exactly once across them.
  const handle = engine.temporal.workflow.getHandle(started.executionId);
  const description = await handle.describe();
  expect(description.runId).not.toBe(description.raw.workflowExecutionInfo?.firstRunId);
  const attempts = await engine.pool.query<{ n: string }>('SELECT count(*) AS n FROM execution_step_attempts WHERE execution_id = $1', [view.executionId]);
  expect(Number(attempts.rows[0].n)).toBe(length + 1);
  const row = await engine.pool.query('SELECT status, started_at, run_id FROM executions WHERE id = $1', [view.executionId]);
  expect(row.rows[0].status).toBe('completed');
});
