/**
 * The `map` node (DESIGN §11) on the real stack: its item node once per item with `item` and
 * `index`, results in item order, a step per item and progress on the map step, bounded
 * concurrency, both failure modes, and a map longer than one run's history.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Json } from '../../src/workflows/graph/types';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run } from '../helpers/graphs';
import { runsOf } from '../helpers/run-chain';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

interface StepRow {
  node_id: string;
  status: string;
  output: Json;
  progress: Json;
}

async function stepRows(executionId: string): Promise<Map<string, StepRow>> {
  const found = await engine.pool.query<StepRow>('SELECT node_id, status, output, progress FROM execution_steps WHERE execution_id = $1', [executionId]);
  return new Map(found.rows.map((row) => [row.node_id, row]));
}

const doubling = { type: 'mock', config: { output: { n: { $expr: 'item * 2' }, at: { $expr: 'index' }, tag: { $expr: 'input.tag' } } } };

test('runs the item node per item, in item order, with a step per item and progress on the map', async () => {
  const view = await run(
    engine,
    {
      nodes: [
        { id: 'list', type: 'transform', config: { output: { items: [5, 6, 7, 8, 9], tag: { $expr: 'input.tag' } } } },
        { id: 'each', type: 'map', config: { items: { $expr: 'input.items' }, node: doubling, maxConcurrency: 3 } },
      ],
      edges: [{ from: 'list', to: 'each' }],
    },
    { tag: 't' },
  );
  expect(view.status).toBe('completed');
  expect(view.output).toEqual([5, 6, 7, 8, 9].map((item, index) => ({ n: item * 2, at: index, tag: 't' })));
  expect(view.steps.each).toMatchObject({ status: 'completed', progress: { total: 5, completed: 5, failed: 0 } });
  for (let i = 0; i < 5; i++) expect(view.steps[`each[${i}]`]).toMatchObject({ status: 'completed', attempts: 1 });
  const rows = await stepRows(view.executionId);
  expect(rows.get('each[3]')).toMatchObject({ status: 'completed', output: { n: 16, at: 3, tag: 't' } });
  expect(rows.get('each')?.progress).toEqual({ total: 5, completed: 5, failed: 0 });
});

test('never runs more than maxConcurrency items at once', async () => {
  const view = await run(engine, {
    nodes: [{ id: 'slow', type: 'map', config: { items: [1, 2, 3, 4, 5, 6], maxConcurrency: 2, node: { type: 'mock', config: { delayMs: 300 } } } }],
  });
  expect(view.status).toBe('completed');
  expect(view.output).toEqual([1, 2, 3, 4, 5, 6]);
  const attempts = await engine.pool.query<{ started_at: Date; finished_at: Date }>('SELECT started_at, finished_at FROM execution_step_attempts WHERE execution_id = $1', [view.executionId]);
  expect(attempts.rowCount).toBe(6);
  // At each attempt's start, how many attempts were running (itself included).
  const overlaps = attempts.rows.map((a) => attempts.rows.filter((b) => b.started_at <= a.started_at && b.finished_at > a.started_at).length);
  expect(Math.max(...overlaps)).toBeLessThanOrEqual(2);
});

test('onItemFailure "continue" puts {error} in place of a failed item and completes', async () => {
  const view = await run(engine, {
    nodes: [
      {
        id: 'each',
        type: 'map',
        config: { items: ['a', 'b', 'c'], onItemFailure: 'continue', node: { type: 'mock', config: { failAttempts: { $expr: "item == 'b' ? 100 : 0" } }, retry: { maxAttempts: 2, initialInterval: '100ms' } } },
      },
    ],
  });
  expect(view.status).toBe('completed');
  const output = view.output as Json[];
  expect(output[0]).toBe('a');
  expect(output[2]).toBe('c');
  expect(output[1]).toMatchObject({ error: { nodeId: 'each[1]', type: 'MockFailure', attempts: 2 } });
  expect(view.steps['each[1]']).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'MockFailure' } });
  expect(view.steps.each.progress).toEqual({ total: 3, completed: 2, failed: 1 });
});

test('onItemFailure "fail" (default) fails the map at the first failed item; an error edge can handle it', async () => {
  const view = await run(engine, {
    nodes: [
      { id: 'each', type: 'map', config: { items: [0, 1, 2, 3], maxConcurrency: 1, node: { type: 'mock', config: { failAttempts: { $expr: 'index == 1 ? 100 : 0' } }, retry: { maxAttempts: 1 } } } },
      { id: 'handled', type: 'transform', config: { output: { failedWith: { $expr: 'input.error.type' }, message: { $expr: 'input.error.message' } } } },
    ],
    edges: [{ from: 'each', to: 'handled', on: 'error' }],
  });
  expect(view.status).toBe('completed');
  expect(view.output).toMatchObject({ failedWith: 'MockFailure' });
  expect((view.output as { message: string }).message).toContain('item [1] failed');
  expect(view.steps.each).toMatchObject({ status: 'failed', progress: { total: 4, completed: 1, failed: 1 } });
  // One at a time: the items after the failed one never started.
  expect(view.steps['each[2]']).toBeUndefined();
  expect(view.steps['each[3]']).toBeUndefined();
});

test('an item whose config is invalid after its expressions fails with InvalidConfig, without an activity', async () => {
  const view = await run(engine, {
    nodes: [{ id: 'each', type: 'map', config: { items: [1, -5], onItemFailure: 'continue', node: { type: 'mock', config: { delayMs: { $expr: 'item' } } } } }],
  });
  expect(view.status).toBe('completed');
  expect((view.output as Json[])[1]).toMatchObject({ error: { type: 'InvalidConfig', nodeId: 'each[1]' } });
  expect(view.steps['each[1]']).toMatchObject({ status: 'failed', error: { type: 'InvalidConfig' } });
});

test('a map longer than one run pauses, continues as new and completes with every result in order', async () => {
  const items = Array.from({ length: 40 }, (_, i) => i);
  const started = await engine.client.start({
    organizationId: 'default',
    graph: { id: graphId('long-map'), version: 1, nodes: [{ id: 'each', type: 'map', config: { items, maxConcurrency: 4, node: doubling } }] },
    input: { tag: 'long' },
    continueAsNewAtEvents: 60,
  });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual(items.map((item, index) => ({ n: item * 2, at: index, tag: 'long' })));
  expect(view.steps.each.progress).toEqual({ total: 40, completed: 40, failed: 0 });
  const runs = await runsOf(engine.temporal, started.executionId);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  // Every item's activity ran once across the runs.
  expect(runs.flatMap((r) => r.activityIds).sort()).toEqual(items.map((i) => `each[${i}]`).sort());
  const attempts = await engine.pool.query<{ n: string }>('SELECT count(*) AS n FROM execution_step_attempts WHERE execution_id = $1', [view.executionId]);
  expect(Number(attempts.rows[0].n)).toBe(40);
});

test('items may run a subgraph: one child execution per item, results in order', async () => {
  const childId = graphId('add-one');
  await engine.client.storeGraph('default', { id: childId, version: 1, nodes: [{ id: 'add', type: 'mock', config: { output: { v: { $expr: 'input.v + 1' } } } }] });
  const view = await run(engine, {
    nodes: [{ id: 'each', type: 'map', config: { items: [{ v: 1 }, { v: 2 }, { v: 3 }], maxConcurrency: 2, node: { type: 'subgraph', config: { graphId: childId } } } }],
  });
  expect(view.status).toBe('completed');
  expect(view.output).toEqual([{ v: 2 }, { v: 3 }, { v: 4 }]);
  expect(view.steps['each[1]']).toMatchObject({ status: 'completed' });
  const children = await engine.pool.query<{ id: string; status: string }>('SELECT id, status FROM executions WHERE parent_execution_id = $1 ORDER BY id', [view.executionId]);
  expect(children.rows).toEqual([0, 1, 2].map((i) => ({ id: `${view.executionId}/each[${i}]`, status: 'completed' })));
});

test('a map of subgraph items shows its progress while it runs (no item activity to carry it)', async () => {
  const childId = graphId('slow-child');
  await engine.client.storeGraph('default', { id: childId, version: 1, nodes: [{ id: 'wait', type: 'mock', config: { delayMs: 400 } }] });
  const parentId = graphId('child-progress');
  const items = Array.from({ length: 10 }, (_, i) => i);
  const started = await engine.client.start({
    organizationId: 'default',
    graph: { id: parentId, version: 1, nodes: [{ id: 'each', type: 'map', config: { items, maxConcurrency: 2, node: { type: 'subgraph', config: { graphId: childId } } } }] },
    input: null,
  });
  // Poll the mirror while the execution runs: the map step's progress must move before the end.
  const seen = new Set<number>();
  for (;;) {
    const found = await engine.pool.query<{ step: { completed: number } | null; status: string }>(
      "SELECT (SELECT progress FROM execution_steps WHERE execution_id = $1 AND node_id = 'each') AS step, status FROM executions WHERE id = $1",
      [started.executionId],
    );
    const row = found.rows[0];
    if (row?.status && row.status !== 'running' && row.status !== 'queued') break;
    if (row?.step) seen.add(row.step.completed);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual(items);
  expect([...seen].some((completed) => completed > 0 && completed < items.length)).toBe(true);
});
