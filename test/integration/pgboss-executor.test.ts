/**
 * The benchmark's pg-boss BFS executor (bench/pgboss/) on the shared test Postgres: the bench's
 * shapes run to the outputs the engine gives them, many executions at once, a failing node
 * fails its execution, and graphs with features it lacks are refused by name. Last, a micro
 * measurement is printed (never asserted): exec/s of the 10-node chain with 8 in flight, and
 * SQL statements per node.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject } from 'vitest';
import { chainGraph, fanoutGraph } from '../../bench/graphs';
import { fanoutBranchIds } from '../../bench/shapes';
import { ExecutionFailedError, UnsupportedGraphError } from '../../bench/pgboss/errors';
import { PgBossExecutor } from '../../bench/pgboss/executor';
import { createDatabaseIfMissing } from '../../src/store/create-database';
import type { Json } from '../../src/workflows/graph/types';
import { fanOutGraph, layeredGraph } from '../helpers/wide-graphs';

const CONCURRENCY = 8;
let pool: pg.Pool;
let executor: PgBossExecutor;
/** Statements sent by the pool's clients (BEGIN/COMMIT included), as bench/diagnostics.ts counts them. */
const counted = { enabled: false, statements: 0 };

beforeAll(async () => {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  pool = new pg.Pool({ connectionString: adminUrl.replace(/\/postgres$/, `/${name}`), max: 12 });
  const ours = new WeakSet<object>();
  pool.on('connect', (client) => ours.add(client));
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (counted.enabled && ours.has(this)) counted.statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  executor = await PgBossExecutor.start({ pool, concurrency: CONCURRENCY });
});
afterAll(async () => {
  await executor?.stop();
  await pool?.end();
});

const named = (id: string, built: object): Record<string, unknown> => ({ id, version: 1, ...built });

test('the 10-node chain outputs its input, and its steps are all recorded', async () => {
  const { executionId, output } = await executor.run(chainGraph(10), { n: 7 });
  expect(output).toEqual({ n: 7 });
  const steps = await pool.query(`SELECT node_id, status, output FROM pgb_exec.steps WHERE execution_id = $1 ORDER BY node_id`, [executionId]);
  expect(steps.rows.map((row) => row.node_id)).toEqual(Array.from({ length: 10 }, (_, i) => `n${String(i + 1).padStart(2, '0')}`));
  expect(steps.rows.every((row) => row.status === 'completed')).toBe(true);
});

test('the 20-way fan-out joins every branch into an object keyed by branch', async () => {
  const input = { n: 3 };
  const { output } = await executor.run(fanoutGraph(), input);
  expect(output).toEqual(Object.fromEntries(fanoutBranchIds().map((id) => [id, input])));
});

test('a 200-wide fan-out of templated mocks from an inline start', async () => {
  const { output } = await executor.run(named('pgb-wide-200', fanOutGraph(200)), { base: 5 });
  expect(output).toEqual({ branches: 200, first: 5, last: 204 });
});

test('a 1,000-node layered graph of mostly inline nodes', async () => {
  const { graph, depth, lastLayer } = layeredGraph(1000, 100);
  const { executionId, output } = await executor.run(named('pgb-layered-1000', graph), {});
  expect(output).toEqual({ d: depth, reached: lastLayer });
  const steps = await pool.query(`SELECT count(*)::int AS n FROM pgb_exec.steps WHERE execution_id = $1 AND status = 'completed'`, [executionId]);
  expect(steps.rows[0].n).toBe(1000);
});

test('a 100-item map returns its items doubled, in item order', async () => {
  const graph = named('pgb-map-100', {
    nodes: [{ id: 'each', type: 'map', config: { items: { $expr: 'input.items' }, maxConcurrency: 10, node: { type: 'mock', config: { output: { $expr: 'item * 2 + index - index' } } } } }],
    edges: [],
  });
  const items = Array.from({ length: 100 }, (_, i) => 99 - i);
  const { output } = await executor.run(graph, { items });
  expect(output).toEqual(items.map((item) => item * 2));
});

test('20 chain executions at once each end with their own input', async () => {
  const graph = chainGraph(10);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => executor.run(graph, { i })));
  expect(results.map((result) => result.output)).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })));
  expect(new Set(results.map((result) => result.executionId)).size).toBe(20);
});

test('a node that fails fails its execution, naming the node', async () => {
  const graph = named('pgb-failing', {
    nodes: [
      { id: 'a', type: 'mock', config: {} },
      { id: 'boom', type: 'mock', config: { fail: { type: 'Broken', message: 'as configured' } } },
    ],
    edges: [{ from: 'a', to: 'boom' }],
  });
  const run = executor.run(graph, {});
  await expect(run).rejects.toBeInstanceOf(ExecutionFailedError);
  await expect(run).rejects.toThrow(/at node "boom" \(Broken\): as configured/);
});

test('graphs with features the executor lacks are refused, naming the node or edge', async () => {
  const withRetry = named('pgb-retry', { nodes: [{ id: 'flaky', type: 'mock', retry: { maxAttempts: 2 }, config: {} }], edges: [] });
  await expect(executor.run(withRetry, {})).rejects.toThrow(UnsupportedGraphError);
  await expect(executor.run(withRetry, {})).rejects.toThrow(/node "flaky": "retry" is not supported/);
  const withErrorEdge = named('pgb-error-edge', {
    nodes: [
      { id: 'a', type: 'mock', config: {} },
      { id: 'handler', type: 'noop' },
    ],
    edges: [{ from: 'a', to: 'handler', on: 'error' }],
  });
  await expect(executor.run(withErrorEdge, {})).rejects.toThrow(/edge "a" -> "handler": on "error"/);
  const withDelay = named('pgb-delay', { nodes: [{ id: 'wait_a_bit', type: 'delay', config: { duration: '1s' } }], edges: [] });
  await expect(executor.run(withDelay, {})).rejects.toThrow(/node "wait_a_bit": type "delay" is not supported/);
});

test('micro measurement: the 10-node chain, 8 in flight, 80 executions (printed, not asserted)', async () => {
  const graph = chainGraph(10);
  const total = 80;
  let next = 0;
  const outputs: Json[] = [];
  counted.statements = 0;
  counted.enabled = true;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) {
        const i = next++;
        outputs[i] = (await executor.run(graph, { i })).output;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  counted.enabled = false;
  expect(outputs).toEqual(Array.from({ length: total }, (_, i) => ({ i })));
  console.log(`pg-boss executor, 10-node chain, 8 in flight: ${(total / seconds).toFixed(1)} exec/s over ${total} executions; ${(counted.statements / (total * 10)).toFixed(2)} SQL statements per node`);
});
