/**
 * Wide and long graphs (DESIGN §11): a 1,000-wide fan-out of mock activities and a
 * 10,000-node layered graph run to completion, and Temporal's own history shows the limits
 * held: no workflow task scheduled more than 200 activities, no run passed 10,240 events, no
 * workflow task failed or timed out, and the state each run carried into the next stayed small.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ACTIVITIES_PER_TASK, MAX_ACTIVITIES_PER_TASK, MAX_EVENTS_PER_RUN } from '../../src/workflows/launch-budget';
import { jsonBytes } from '../../src/workflows/graph/sizes';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { mostActivitiesPerWorkflowTask, runHistories, type RunHistory } from '../helpers/history';
import { fanOutGraph, layeredGraph, type BuiltGraph } from '../helpers/wide-graphs';
import type { Json } from '../../src/workflows/graph/types';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

async function runToEnd(built: BuiltGraph, input: Json, continueAsNewAtEvents?: number) {
  const graph = { id: graphId('wide'), version: 1, ...built };
  const started = await engine.client.start({ organizationId: 'default', graph, input, continueAsNewAtEvents });
  const view = await engine.client.waitForEnd('default', started.executionId);
  const runs = await runHistories(engine.temporal, started.executionId);
  return { view, runs };
}

/**
 * Workflow tasks the server failed to flush the events it buffered meanwhile (more than 100:
 * FORCE_CLOSE_COMMAND). Not a fault of the workflow: Temporal retries the task at once, with
 * the events. Kept small by the batch size (launch-budget.ts) and reported.
 */
const FORCE_CLOSE_COMMAND = 17;

/** What every run of every wide execution must show, whatever its shape; returns how many tasks were force-closed. */
function expectWithinTemporalLimits(runs: RunHistory[]): number {
  let forceClosed = 0;
  for (const run of runs) {
    const where = `run ${run.runId}`;
    expect(run.events.length, where).toBeLessThanOrEqual(MAX_EVENTS_PER_RUN);
    expect(mostActivitiesPerWorkflowTask(run.events), where).toBeLessThanOrEqual(MAX_ACTIVITIES_PER_TASK);
    const troubled = run.events.flatMap((event) => {
      const failed = event.workflowTaskFailedEventAttributes;
      if (failed?.cause === FORCE_CLOSE_COMMAND) forceClosed += 1;
      else if (failed) return [`failed (cause ${String(failed.cause)}): ${failed.failure?.message ?? 'no message'}`];
      return event.workflowTaskTimedOutEventAttributes ? [`timed out (event ${String(event.eventId)})`] : [];
    });
    // No workflow task timed out (the planner is fast enough) or failed in the workflow's code.
    expect(troubled, where).toEqual([]);
  }
  expect(runs.at(-1)!.events.at(-1)?.workflowExecutionCompletedEventAttributes, 'the last run completed').toBeTruthy();
  return forceClosed;
}

const scheduledActivityIds = (runs: RunHistory[]): string[] =>
  runs.flatMap((run) => run.events.flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes.activityId ?? ''] : [])));

async function completedSteps(executionId: string): Promise<number> {
  const found = await engine.pool.query<{ n: string }>("SELECT count(*) AS n FROM execution_steps WHERE execution_id = $1 AND status = 'completed' AND final", [executionId]);
  return Number(found.rows[0].n);
}

test('examples/fanout-1000.json (maxParallelism 1000) completes, scheduled in batches per workflow task', { timeout: 180_000 }, async () => {
  const width = 1000;
  // The example users run (README), kept identical to the shape built here.
  const example = JSON.parse(readFileSync(new URL('../../examples/fanout-1000.json', import.meta.url), 'utf8')) as BuiltGraph & Record<string, unknown>;
  const { nodes, edges, settings } = example;
  expect({ nodes, edges, settings }).toEqual(fanOutGraph(width, 1000));
  const { view, runs } = await runToEnd({ nodes, edges, settings }, { base: 5 });
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ branches: width, first: 5, last: 5 + width - 1 });
  const forceClosed = expectWithinTemporalLimits(runs);
  // The batches were full: the budget, not the graph, decided their size.
  expect(Math.max(...runs.map((run) => mostActivitiesPerWorkflowTask(run.events)))).toBe(ACTIVITIES_PER_TASK);
  // Each mock ran exactly once across the runs, and the mirror shows every step completed.
  const scheduled = scheduledActivityIds(runs);
  expect(scheduled.length).toBe(width + 1);
  expect(new Set(scheduled).size).toBe(width + 1);
  expect(await completedSteps(view.executionId)).toBe(width + 2);
  const carried = runs.flatMap((run) => (run.carried ? [jsonBytes(run.carried)] : []));
  console.log(`fan-out ${width}: ${runs.length} run(s), events ${runs.map((run) => run.events.length).join(', ')}, carried bytes ${carried.join(', ') || 'none'}, force-closed tasks ${forceClosed}`);
});

test('a 10,000-node layered graph completes across several runs, each carrying a few bytes per node', { timeout: 180_000 }, async () => {
  const { graph, depth, lastLayer } = layeredGraph(10_000, 100);
  const activityNodes = graph.nodes.filter((node) => node.type === 'mock').length;
  // The test threshold makes it continue as new mid-graph, with most nodes decided.
  const { view, runs } = await runToEnd(graph, null, 300);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ d: depth, reached: lastLayer });
  const forceClosed = expectWithinTemporalLimits(runs);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  expect(new Set(scheduledActivityIds(runs)).size).toBe(activityNodes);
  expect(await completedSteps(view.executionId)).toBe(graph.nodes.length);
  const carried = runs.flatMap((run) => (run.carried ? [jsonBytes(run.carried)] : []));
  // The bound the compact form promises (graph/plan-snapshot.ts): a character per node and
  // per edge, an attempt count per activity node, and the values of edges into nodes not yet
  // started (at most two layers of 100 here, ~20 bytes each), plus the fixed fields.
  const bound = graph.nodes.length + graph.edges.length + activityNodes * 16 + 2 * 100 * 2 * 24 + 2048;
  for (const bytes of carried) expect(bytes).toBeLessThanOrEqual(bound);
  console.log(`layered 10,000: ${runs.length} runs, events ${runs.map((run) => run.events.length).join(', ')}, carried bytes ${carried.join(', ')} (bound ${bound}), force-closed tasks ${forceClosed}`);
});
