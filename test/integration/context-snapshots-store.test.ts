/**
 * Context snapshots in the store (DESIGN §12), on a real Postgres without Temporal: a batch
 * that decides nodes writes one snapshot in the flush's transaction, a batch that decides none
 * writes nothing, the same batch applied twice (a retried flush) writes one, writers racing
 * on one execution take sequences 1..n without gaps, an activity's confirmation (no output
 * in the update) snapshots the output the activity stored, and reading folds the snapshots.
 * A node activity's carried updates (writeCarriedSteps) are written like a flush's.
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeCarriedSteps } from '../../src/activities/mirror/carried';
import { flushMirrorBatch } from '../../src/activities/mirror/flush';
import { InvalidRequestError } from '../../src/client/errors';
import { mirrorContext } from '../../src/client/mirror-context';
import { listContextSnapshots } from '../../src/store/context-snapshots/list-context-snapshots';
import { upsertStepsWithSnapshot } from '../../src/store/context-snapshots/upsert-steps-with-snapshot';
import { recordAttemptCompleted } from '../../src/store/mirror/record-attempt-completed';
import { startAttemptWithCarriedSteps } from '../../src/store/mirror/start-attempt-with-carried-steps';
import { createPool } from '../../src/store/pool';
import { inTransaction } from '../../src/store/query';
import type { ExecutionUpdate, MirrorBatch, StepUpdate } from '../../src/workflows/contracts/mirror';
import { createTestDatabase } from '../helpers/engine';

let pool: Pool;
beforeAll(async () => {
  pool = createPool(await createTestDatabase());
});
afterAll(async () => pool?.end());

const running = (id: string): ExecutionUpdate => ({ status: 'running', graphId: 'g', graphVersion: 1, workflowId: id, runId: 'r1', input: { order: 7 }, startedAt: new Date().toISOString() });

/** The execution row and its pending steps, as the workflow's first batch writes them; `nodes`: node id → type. */
async function startExecution(id: string, nodes: Record<string, string>): Promise<void> {
  const steps = Object.entries(nodes).map<StepUpdate>(([nodeId, nodeType]) => ({ nodeId, nodeType, status: 'pending', final: false }));
  await flushMirrorBatch(pool, { executionId: id, organizationId: 'default', execution: running(id), steps });
}

const batch = (executionId: string, steps: StepUpdate[]): MirrorBatch => ({ executionId, organizationId: 'default', steps });
const completed = (nodeId: string, value: unknown): StepUpdate => ({ nodeId, nodeType: 'transform', status: 'completed', output: { value: value as never }, error: null, final: true });

async function sequences(executionId: string): Promise<number[]> {
  return (await listContextSnapshots(pool, 'default', executionId)).map((snapshot) => snapshot.sequence);
}

test('only a batch that decides nodes is snapshotted, once even when applied twice', async () => {
  await startExecution('e-once', { a: 'transform', b: 'noop', c: 'noop' });
  expect(await sequences('e-once')).toEqual([]);
  // A node started (running, not final) decides nothing, flushed or carried along with an activity.
  await flushMirrorBatch(pool, batch('e-once', [{ nodeId: 'a', nodeType: 'transform', status: 'running', final: false }]));
  await writeCarriedSteps(pool, 'e-once', 'default', [{ nodeId: 'c', nodeType: 'noop', status: 'running', progress: { total: 3, completed: 1, failed: 0 }, final: false }]);
  expect(await sequences('e-once')).toEqual([]);

  const decided = batch('e-once', [completed('a', { n: 1 }), { nodeId: 'b', nodeType: 'noop', status: 'skipped', final: true }]);
  await flushMirrorBatch(pool, decided);
  await flushMirrorBatch(pool, decided); // a retried flush: the same batch again
  const list = await listContextSnapshots(pool, 'default', 'e-once');
  expect(list).toEqual([{ sequence: 1, takenAt: expect.any(String), nodeIds: ['a', 'b'] }]);

  const view = await mirrorContext(pool, 'default', 'e-once');
  expect(view).toEqual({
    executionId: 'e-once',
    status: 'running',
    sequence: 1,
    takenAt: list[0].takenAt,
    context: { input: { order: 7 }, nodes: { a: { status: 'completed', nodeType: 'transform', output: { n: 1 } }, b: { status: 'skipped', nodeType: 'noop' } } },
    snapshots: list,
    retrievals: [],
  });
});

test('the fold: each node as the latest snapshot up to the sequence asked for says', async () => {
  await startExecution('e-fold', { a: 'transform', b: 'transform' });
  await flushMirrorBatch(pool, batch('e-fold', [completed('a', 1)]));
  await flushMirrorBatch(pool, batch('e-fold', [completed('b', null)]));
  await flushMirrorBatch(pool, batch('e-fold', [{ nodeId: 'a', nodeType: 'transform', status: 'compensated', final: true }]));
  expect(await sequences('e-fold')).toEqual([1, 2, 3]);

  const first = await mirrorContext(pool, 'default', 'e-fold', 1);
  expect(first?.context.nodes).toEqual({ a: { status: 'completed', nodeType: 'transform', output: 1 } });
  // A JSON null output is an output, not its absence.
  expect((await mirrorContext(pool, 'default', 'e-fold', 2))?.context.nodes).toEqual({ a: { status: 'completed', nodeType: 'transform', output: 1 }, b: { status: 'completed', nodeType: 'transform', output: null } });
  const latest = await mirrorContext(pool, 'default', 'e-fold');
  expect(latest?.sequence).toBe(3);
  expect(latest?.context.nodes.a).toEqual({ status: 'compensated', nodeType: 'transform', output: 1 });

  for (const wrong of [0, 4, 1.5]) {
    const refused = mirrorContext(pool, 'default', 'e-fold', wrong);
    await expect(refused).rejects.toThrow(InvalidRequestError);
    await expect(refused).rejects.toThrow(`execution "e-fold" has no context snapshot ${wrong}: its snapshots are 1 to 3`);
  }
  // Another organization's view of the id: no such execution (the caller answers 404).
  expect(await mirrorContext(pool, 'another-org', 'e-fold')).toBeUndefined();
  expect(await mirrorContext(pool, 'another-org', 'e-fold', 9)).toBeUndefined();
  expect(await listContextSnapshots(pool, 'another-org', 'e-fold')).toEqual([]);
});

test('an execution without snapshots: sequence 0, and any sequence asked for is out of range', async () => {
  await startExecution('e-none', { a: 'mock' });
  expect(await mirrorContext(pool, 'default', 'e-none')).toMatchObject({ sequence: 0, takenAt: null, context: { nodes: {} }, snapshots: [] });
  await expect(mirrorContext(pool, 'default', 'e-none', 1)).rejects.toThrow('execution "e-none" has no context snapshot 1: it has no context snapshots yet');
});

test("an activity's confirmation carries no output: the snapshot holds the output the activity stored", async () => {
  await startExecution('e-activity', { fetch: 'mock' });
  const reference = { $payload: '5d2f4f7e-0000-4000-8000-000000000000', bytes: 5_000_000 };
  await recordAttemptCompleted(pool, { executionId: 'e-activity', organizationId: 'default', nodeId: 'fetch', nodeType: 'mock', attempt: 1 }, { big: reference });
  await flushMirrorBatch(pool, batch('e-activity', [{ nodeId: 'fetch', nodeType: 'mock', status: 'completed', attempts: 1, error: null, final: true }]));
  expect((await mirrorContext(pool, 'default', 'e-activity'))?.context.nodes).toEqual({ fetch: { status: 'completed', nodeType: 'mock', output: { big: reference } } });
});

test('a failed node: its error is in the snapshot; a rolled-back transaction leaves no snapshot and no gap', async () => {
  await startExecution('e-fail', { boom: 'mock', after: 'noop' });
  const error = { nodeId: 'boom', type: 'Nope', message: 'it broke', attempts: 2 };
  await expect(
    inTransaction(pool, async (client) => {
      await upsertStepsWithSnapshot(client, 'e-fail', 'default', [{ nodeId: 'boom', nodeType: 'mock', status: 'failed', error, final: true }]);
      throw new Error('the transaction fails after the snapshot');
    }),
  ).rejects.toThrow('the transaction fails');
  expect(await sequences('e-fail')).toEqual([]);
  await flushMirrorBatch(pool, batch('e-fail', [{ nodeId: 'boom', nodeType: 'mock', status: 'failed', attempts: 2, error, final: true }]));
  await flushMirrorBatch(pool, batch('e-fail', [{ nodeId: 'after', nodeType: 'noop', status: 'skipped', final: true }]));
  expect(await sequences('e-fail')).toEqual([1, 2]);
  expect((await mirrorContext(pool, 'default', 'e-fail'))?.context.nodes).toEqual({ boom: { status: 'failed', nodeType: 'mock', error }, after: { status: 'skipped', nodeType: 'noop' } });
});

test('writers racing on one execution (carried writes and flushes) take sequences 1..n without gaps', async () => {
  const nodes = Array.from({ length: 40 }, (_, i) => `n${i}`);
  await startExecution('e-race', Object.fromEntries(nodes.map((nodeId) => [nodeId, 'transform'])));
  // Half as a node activity writes what it carries, half as flushes: each its own transaction, all at once.
  await Promise.all(
    nodes.map((nodeId, i) => {
      const steps = [completed(nodeId, { i })];
      return i % 2 === 0 ? flushMirrorBatch(pool, batch('e-race', steps)) : writeCarriedSteps(pool, 'e-race', 'default', steps);
    }),
  );
  const list = await listContextSnapshots(pool, 'default', 'e-race');
  expect(list.map((snapshot) => snapshot.sequence)).toEqual(nodes.map((_, i) => i + 1));
  expect(list.flatMap((snapshot) => snapshot.nodeIds).sort()).toEqual([...nodes].sort());
  // Taken in turn: the times follow the sequence.
  const times = list.map((snapshot) => Date.parse(snapshot.takenAt));
  expect(times).toEqual([...times].sort((x, y) => x - y));
  const view = await mirrorContext(pool, 'default', 'e-race');
  expect(Object.keys(view?.context.nodes ?? {}).sort()).toEqual([...nodes].sort());
});

test('a carried write that decides a node is one statement on the pool: steps, number and snapshot together', async () => {
  await startExecution('e-one-statement', { a: 'transform' });
  const statements: string[] = [];
  const counting = { query: (statement: Parameters<Pool['query']>[0] & { name?: string }) => (statements.push(statement.name ?? 'unnamed'), pool.query(statement)) };
  const sequence = await upsertStepsWithSnapshot(counting as never, 'e-one-statement', 'default', [completed('a', { n: 1 })]);
  expect(sequence).toBe(1);
  expect(statements).toEqual(['context-snapshots/upsert-steps-with-snapshot']);
  expect((await mirrorContext(pool, 'default', 'e-one-statement'))?.context.nodes).toEqual({ a: { status: 'completed', nodeType: 'transform', output: { n: 1 } } });
});

test("a node activity's start is one statement: what it carries (with its snapshot), its attempt and its step running", async () => {
  await startExecution('e-start', { a: 'transform', b: 'mock', c: 'mock' });
  const statements: string[] = [];
  const counting = { query: (statement: Parameters<Pool['query']>[0] & { name?: string }) => (statements.push(statement.name ?? 'unnamed'), pool.query(statement)) };
  const key = { executionId: 'e-start', organizationId: 'default', nodeId: 'b', nodeType: 'mock', attempt: 2 };
  await startAttemptWithCarriedSteps(counting as never, key, [completed('a', { n: 1 }), { nodeId: 'c', nodeType: 'mock', status: 'running', final: false }]);
  expect(statements).toEqual(['mirror/start-attempt-with-carried-steps']);
  expect(await sequences('e-start')).toEqual([1]);
  const steps = await pool.query<{ node_id: string; status: string; attempts: number }>("SELECT node_id, status, attempts FROM execution_steps WHERE execution_id = 'e-start' ORDER BY node_id");
  expect(steps.rows).toEqual([
    { node_id: 'a', status: 'completed', attempts: 0 },
    { node_id: 'b', status: 'running', attempts: 2 },
    { node_id: 'c', status: 'running', attempts: 0 },
  ]);
  const attempts = await pool.query("SELECT node_id, attempt, status FROM execution_step_attempts WHERE execution_id = 'e-start'");
  expect(attempts.rows).toEqual([{ node_id: 'b', attempt: 2, status: 'running' }]);
  // Nothing to snapshot: still one statement, and no snapshot.
  await startAttemptWithCarriedSteps(pool, { ...key, nodeId: 'c', attempt: 1 }, [{ nodeId: 'b', nodeType: 'mock', status: 'running', final: false }]);
  expect(await sequences('e-start')).toEqual([1]);
  // A step the workflow already decided is not shown running again by a late attempt.
  await flushMirrorBatch(pool, batch('e-start', [{ nodeId: 'c', nodeType: 'mock', status: 'cancelled', final: true }]));
  await startAttemptWithCarriedSteps(pool, { ...key, nodeId: 'c', attempt: 2 }, [completed('a', { n: 1 })]);
  expect((await pool.query("SELECT status FROM execution_steps WHERE execution_id = 'e-start' AND node_id = 'c'")).rows[0]).toEqual({ status: 'cancelled' });
  // Updates of the starting node itself must go apart (one statement cannot write a row twice).
  await expect(startAttemptWithCarriedSteps(pool, key, [completed('b', {})])).rejects.toThrow('include the starting node b');
});

test('node starts racing with flushes still take sequences 1..n without gaps', async () => {
  const nodes = Array.from({ length: 40 }, (_, i) => `n${i}`);
  await startExecution('e-start-race', Object.fromEntries([...nodes.map((nodeId) => [nodeId, 'transform']), ['next', 'mock']]));
  await Promise.all(
    nodes.map((nodeId, i) => {
      const steps = [completed(nodeId, { i })];
      const key = { executionId: 'e-start-race', organizationId: 'default', nodeId: 'next', nodeType: 'mock', attempt: i + 1 };
      return i % 2 === 0 ? flushMirrorBatch(pool, batch('e-start-race', steps)) : startAttemptWithCarriedSteps(pool, key, steps);
    }),
  );
  expect(await sequences('e-start-race')).toEqual(nodes.map((_, i) => i + 1));
  expect((await pool.query("SELECT count(*)::int AS n FROM execution_step_attempts WHERE execution_id = 'e-start-race'")).rows[0]).toEqual({ n: 20 });
});
