/**
 * Generated graphs on the real stack (DESIGN §14): of a sample of generated documents, the
 * valid ones run for real. None crashes the worker, none is stuck (each ends within its
 * 20 s deadline plus scheduling slack), no error the mirror shows carries a stack trace, and
 * no workflow task fails. Then signals with generated names and payloads, engine-internal
 * names included, sent with the raw Temporal client to running and queued executions: every
 * execution still ends and no workflow task fails.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExecutionView } from '../../src/client';
import { TERMINAL_EXECUTION_STATUSES } from '../../src/workflows/graph/types';
import { validateGraph } from '../../src/workflows/graph/validate';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { runnableGraph } from '../helpers/graph-arbitrary';
import { graphId } from '../helpers/graphs';
import { workflowTaskFailures } from '../helpers/history';
import { sleep, waitFor } from '../helpers/wait-for';

const SAMPLE = 500;
const IN_FLIGHT = 10;
/** The generated deadline (20 s) and room for a loaded 2-core machine to schedule the end. */
const ENDS_WITHIN_MS = 20_000 + 25_000;
const STACK_LINE = /\n\s+at |\.ts:\d+|node_modules/;
const TERMINAL = new Set<string>(TERMINAL_EXECUTION_STATUSES);

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

/** The valid documents among `count` generated ones (well-formed graphs, some with mistakes). */
function validAmong(count: number, seed: number): Record<string, unknown>[] {
  return fc
    .sample(runnableGraph, { numRuns: count, seed })
    .filter((document) => validateGraph(document).ok)
    .map((document) => ({ ...document, id: graphId('fuzz') }));
}

async function endOf(executionId: string, graph?: unknown): Promise<ExecutionView> {
  let last: ExecutionView | undefined;
  try {
    return await waitFor(`execution ${executionId} to end`, ENDS_WITHIN_MS, async () => {
      last = await engine.client.status('default', executionId);
      return TERMINAL.has(last.status) ? last : undefined;
    }, 250);
  } catch (error) {
    const temporal = await engine.temporal.workflow.getHandle(executionId).describe().catch(() => undefined);
    const history = await engine.temporal.workflow.getHandle(executionId).fetchHistory().catch(() => undefined);
    const events = (history?.events ?? []).map((event) => `${event.eventType}${event.workflowTaskFailedEventAttributes ? `(${event.workflowTaskFailedEventAttributes.failure?.message})` : ''}`);
    throw new Error(`${String(error)}; mirror ${JSON.stringify(last)}; Temporal ${temporal?.status.name} with ${temporal?.historyLength} events ${events.join(' ')}; graph ${JSON.stringify(graph)}`);
  }
}

function expectNoStackTrace(view: ExecutionView): void {
  const texts = [view.error?.message, ...Object.values(view.steps).map((step) => step.error?.message)].filter((text): text is string => typeof text === 'string');
  for (const text of texts) expect(text, `${view.executionId}: ${text}`).not.toMatch(STACK_LINE);
}

test(`the valid graphs among ${SAMPLE} generated run to an end: no crash, none stuck, no stack trace, no failed workflow task`, { timeout: 600_000 }, async () => {
  const graphs = validAmong(SAMPLE, 424242);
  expect(graphs.length).toBeGreaterThan(SAMPLE / 10);
  const statuses = new Map<string, number>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < graphs.length) {
      const graph = graphs[next++];
      const started = await engine.client.start({ organizationId: 'default', graph, input: { n: next % 5 } });
      const view = await endOf(started.executionId, graph);
      expectNoStackTrace(view);
      expect(await workflowTaskFailures(engine.temporal, started.executionId)).toEqual([]);
      statuses.set(view.status, (statuses.get(view.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  expect(total).toBe(graphs.length);
  // Both outcomes occur, or the sample says little.
  expect(statuses.get('completed') ?? 0).toBeGreaterThan(0);
  expect((statuses.get('failed') ?? 0) + (statuses.get('timed_out') ?? 0)).toBeGreaterThan(0);
});

const signalName = fc.oneof(fc.constantFrom('slotGranted', 'acquireSlot', 'releaseSlot', 'resolve', 'go', '__stack_trace', '__enhanced_stack_trace', ''), fc.string({ maxLength: 20 }));
const signalPayload = fc.oneof(fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ grantedAt: fc.string(), token: fc.string() }));

test('signals with generated names and payloads break no running or queued execution', { timeout: 300_000 }, async () => {
  const key = `fuzz-signals-${Date.now()}`;
  // Each holds the key's only slot until its wait times out, so the others are queued meanwhile.
  const graph = { id: graphId('fuzz-signals'), version: 1, settings: { concurrency: { key: `'${key}'`, max: 1 }, deadline: '1m' }, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'go', timeout: '3s' } }] };
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await engine.client.start({ organizationId: 'default', graph })).executionId);
  await sleep(500);
  const signals = fc.sample(fc.tuple(fc.nat({ max: ids.length - 1 }), signalName, signalPayload), { numRuns: 120, seed: 7 });
  for (const [target, name, payload] of signals) {
    const handle = engine.temporal.workflow.getHandle(ids[target]);
    await (payload === undefined ? handle.signal(name) : handle.signal(name, payload)).catch((error: unknown) => {
      // A closed execution refuses signals, the server an empty name: neither is a break.
      if (!/completed|not found|SignalName is not set/i.test(`${String(error)} ${String((error as Error).cause)}`)) throw error;
    });
  }
  for (const id of ids) {
    const view = await endOf(id);
    expect(['completed', 'failed', 'timed_out']).toContain(view.status);
    expectNoStackTrace(view);
    // UnhandledCommand is the server refusing a completion because a signal arrived meanwhile:
    // the SDK runs the task again with the signal, by design. Any other failure is a break.
    expect((await workflowTaskFailures(engine.temporal, id)).filter((failure) => failure !== 'UnhandledCommand')).toEqual([]);
  }
  // The last execution's release reaches the slots workflow just after it ends: wait for it, and fail if a slot stays held.
  await waitFor('the key to hold no slot and queue nothing', 20_000, async () => {
    const stats = await engine.client.queueStats('default', key);
    return stats.active === 0 && stats.queued === 0 ? stats : undefined;
  }, 200);
});
