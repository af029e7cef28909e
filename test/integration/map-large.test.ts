/**
 * A long map completes: it pauses whenever Temporal suggests continuing as new, so no run's
 * history grows past 10,240 events, and every item's result arrives in order. 3,000 items
 * by default (two runs or more, about a minute); `MAP_ITEMS=10000` runs DESIGN §11's limit
 * (seven runs, about four minutes on two busy cores). A file of its own: it is the longest
 * map test and runs beside the others.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { runsOf } from '../helpers/run-chain';

const ITEMS = Number(process.env.MAP_ITEMS ?? 3000);
const MAX_EVENTS_PER_RUN = 10_240;

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

test(`a ${ITEMS}-item map completes across runs, results in item order`, async () => {
  const started = await engine.client.start({
    organizationId: 'default',
    graph: {
      id: graphId('map-10k'),
      version: 1,
      nodes: [
        { id: "list", type: "noop" },
        { id: 'each', type: 'map', config: { items: { $expr: 'input' }, maxConcurrency: 200, node: { type: 'mock', config: { output: { $expr: 'index' } } } } },
      ],
      edges: [{ from: 'list', to: 'each' }],
    },
    input: Array.from({ length: ITEMS }, (_, i) => i),
  });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
  expect(view.steps.each.progress).toEqual({ total: ITEMS, completed: ITEMS, failed: 0 });
  const runs = await runsOf(engine.temporal, started.executionId);
  expect(runs.length).toBeGreaterThan(1);
  for (const run of runs) expect(run.events).toBeLessThanOrEqual(MAX_EVENTS_PER_RUN);
  expect(runs.reduce((sum, run) => sum + run.activityIds.length, 0)).toBe(ITEMS);
  const steps = await engine.pool.query<{ n: string }>("SELECT count(*) AS n FROM execution_steps WHERE execution_id = $1 AND node_id LIKE 'each[%' AND status = 'completed'", [view.executionId]);
  expect(Number(steps.rows[0].n)).toBe(ITEMS);
  console.log(`map of ${ITEMS}: ${runs.length} runs, events per run ${runs.map((r) => r.events).join(', ')}`);
}, 600_000);
