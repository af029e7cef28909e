/**
 * Long graphs continue as new (DESIGN §4): the execution drains what runs, carries the plan's
 * state into a new run and finishes there, with the same result and mirror as one run.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, statuses, stepOutput } from '../helpers/graphs';
import { runsOf } from '../helpers/run-chain';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

/** At least this many runs: the execution continued as new twice or more. */
const MIN_RUNS = 3;

const runChain = (workflowId: string) => runsOf(engine.temporal, workflowId);

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
  const runs = await runChain(started.executionId);
  expect(runs.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(MIN_RUNS);
  expect(runs.map((r) => r.end)).toEqual([...Array(runs.length - 1).fill('continuedAsNew'), 'completed']);
  // Every run made progress: each scheduled at least one node's activity.
  for (const r of runs) expect({ runId: r.runId, scheduled: r.activityIds.length > 0 }).toEqual({ runId: r.runId, scheduled: true });
  const activityNodes = ['first', ...Array.from({ length }, (_, i) => `step_${i}`)];
  expect(runs.flatMap((r) => r.activityIds).sort()).toEqual(activityNodes.sort());
  const description = await engine.temporal.workflow.getHandle(started.executionId).describe();
  expect(description.runId).toBe(runs.at(-1)!.runId);
  const attempts = await engine.pool.query<{ n: string }>('SELECT count(*) AS n FROM execution_step_attempts WHERE execution_id = $1', [view.executionId]);
  expect(Number(attempts.rows[0].n)).toBe(length + 1);
  const row = await engine.pool.query('SELECT status, started_at, run_id FROM executions WHERE id = $1', [view.executionId]);
  expect(row.rows[0].status).toBe('completed');
});
