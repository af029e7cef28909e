/**
 * Payloads by reference (DESIGN §11): a node output far over the inline limit passes between
 * nodes and into `settings.output` while no Temporal payload carries it; its parts live in
 * `payloads`, readable by their organization only; a reference that finds nothing fails the
 * node once, without retries.
 */
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readPayloads } from '../../src/store/payloads/read-payloads';
import { deadLetterId } from '../../src/workflows/contracts/names';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { run, statuses } from '../helpers/graphs';

const FIVE_MIB = 5 * 1024 * 1024;
const TEMPORAL_PAYLOAD_CEILING = 256 * 1024;

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

/** The byte size of every payload anywhere in an execution's history. */
async function payloadSizes(workflowId: string): Promise<number[]> {
  const history = await engine.temporal.workflow.getHandle(workflowId).fetchHistory();
  const sizes: number[] = [];
  const pending: unknown[] = [history];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) continue;
    const maybePayload = item as Partial<temporal.api.common.v1.IPayload>;
    if (maybePayload.data instanceof Uint8Array && maybePayload.metadata) {
      sizes.push(maybePayload.data.length);
      continue;
    }
    pending.push(...(Array.isArray(item) ? item : Object.values(item)));
  }
  return sizes;
}

test('a 5 MiB output passes between nodes and into settings.output, by reference', async () => {
  const view = await run(engine, {
    nodes: [
      { id: 'make', type: 'mock', config: { output: { status: 'made', id: 7 }, outputBytes: FIVE_MIB } },
      // No output configured: the mock hands on its input, which arrives resolved.
      { id: 'pass', type: 'mock' },
      { id: 'check', type: 'noop' },
    ],
    edges: [
      { from: 'make', to: 'pass' },
      // Small fields stay inline, so expressions route on them.
      { from: 'pass', to: 'check', when: "input.status == 'made' && input.id == 7" },
    ],
    settings: { output: { $expr: 'nodes.pass.output' } },
  });
  expect(statuses(view)).toEqual({ make: 'completed', pass: 'completed', check: 'completed' });
  const output = view.output as { status: string; id: number; filler: string };
  expect(output.status).toBe('made');
  expect(output.filler.length).toBe(FIVE_MIB);
  expect(output.filler).toBe('x'.repeat(FIVE_MIB));

  const sizes = await payloadSizes(view.executionId);
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(TEMPORAL_PAYLOAD_CEILING);

  // One stored part per node that made the large field (make, then pass handing it on).
  const stored = await engine.pool.query<{ id: string; node_id: string; bytes: number; organization_id: string }>('SELECT id, node_id, bytes, organization_id FROM payloads WHERE execution_id = $1 ORDER BY node_id', [view.executionId]);
  expect(stored.rows.map((row) => [row.node_id, row.bytes, row.organization_id])).toEqual([
    ['make', FIVE_MIB + 2, 'default'],
    ['pass', FIVE_MIB + 2, 'default'],
  ]);
  // The step rows hold references, not copies.
  const steps = await engine.pool.query<{ size: number }>('SELECT pg_column_size(output) AS size FROM execution_steps WHERE execution_id = $1 AND node_id = $2', [view.executionId, 'make']);
  expect(steps.rows[0].size).toBeLessThan(1024);

  // Another organization finds none of them.
  const ids = stored.rows.map((row) => row.id);
  expect((await readPayloads(engine.pool, 'default', ids)).size).toBe(2);
  expect((await readPayloads(engine.pool, 'another-org', ids)).size).toBe(0);
});

test('a reference that finds nothing fails the node at once, saying which payload', async () => {
  const missing = randomUUID();
  const view = await run(engine, {
    nodes: [{ id: 'read', type: 'mock', config: { output: { $payload: missing, bytes: 10 } }, retry: { maxAttempts: 3, initialInterval: '100ms' } }],
  });
  expect(view.status).toBe('failed');
  expect(view.steps.read).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'PayloadNotFound' } });
  expect(view.steps.read.error?.message).toContain(missing);
});

test('an output under the limit stays inline', async () => {
  const view = await run(engine, { nodes: [{ id: 'small', type: 'mock', config: { output: { ok: true }, outputBytes: 1000 } }] });
  expect(view.status).toBe('completed');
  expect((view.output as { filler: string }).filler.length).toBe(1000);
  const stored = await engine.pool.query('SELECT 1 FROM payloads WHERE execution_id = $1', [view.executionId]);
  expect(stored.rowCount).toBe(0);
});

test('a resumed execution reuses a completed node\'s large output through its reference', async () => {
  const graph = {
    nodes: [
      { id: 'make', type: 'mock', config: { output: { status: 'made' }, outputBytes: 1024 * 1024 } },
      // Fails until the input says otherwise; hands on what `make` made.
      { id: 'use', type: 'mock', config: { failAttempts: { $expr: 'execution.input.broken ? 100 : 0' } }, retry: { maxAttempts: 1 } },
    ],
    edges: [{ from: 'make', to: 'use' }],
  };
  const failed = await run(engine, graph, { broken: true });
  expect(failed.status).toBe('failed');
  const started = await engine.client.retryDeadLetter('default', deadLetterId(failed.executionId), { resume: true, input: { broken: false }, actor: 'tester' });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.steps.make).toMatchObject({ status: 'completed', reused: true });
  expect((view.output as { filler: string }).filler.length).toBe(1024 * 1024);
  // Only `use` stored a part in the new execution: `make`'s came from the original.
  const stored = await engine.pool.query<{ node_id: string }>('SELECT node_id FROM payloads WHERE execution_id = $1', [view.executionId]);
  expect(stored.rows.map((row) => row.node_id)).toEqual(['use']);
});
