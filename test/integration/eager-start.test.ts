/**
 * Eager start (EngineClientOptions.eagerStart): a client sharing a worker's NativeConnection
 * asks for `requestEagerStart`, and the server hands the first workflow task straight to that
 * worker. Off by default. What the server answered is seen through the SDK's own client
 * interceptor (`startWithDetails` reports `eagerlyStarted`).
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { EngineClient } from '../../src/client';
import { createEngineWorker } from '../../src/worker';
import { silentLogger, startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

const taskQueue = `eager-${randomBytes(4).toString('hex')}`;
let engine: TestEngine;
let pool: Pool;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
/** `eagerlyStarted` of every start made through the shared connection, in order. */
const starts: boolean[] = [];
const recordEager: WorkflowClientInterceptor = {
  async startWithDetails(input, next) {
    const output = await next(input);
    starts.push(output.eagerlyStarted);
    return output;
  },
};
let shared: Client;

beforeAll(async () => {
  // Its database and quiet runtime; the worker is ours, on the connection the client shares.
  engine = await startTestEngine({ worker: false });
  pool = engine.pool;
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await createEngineWorker({ connection, namespace: 'default', taskQueue, pool, logger: silentLogger, workflowBundle: { codePath: inject('workflowBundlePath') } });
  running = worker.run();
  shared = new Client({ connection, namespace: 'default', interceptors: { workflow: [recordEager] } });
});
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await connection?.close();
  await engine?.stop();
});

const localChain = () => ({
  id: graphId('eager'),
  version: 1,
  nodes: [
    { id: 'a', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { output: { $expr: 'input.n + 1' } } },
    { id: 'b', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { output: { $expr: 'input * 2' } } },
  ],
  edges: [{ from: 'a', to: 'b' }],
});

test('with eagerStart on the worker\'s connection, the server starts the execution on that worker', async () => {
  const client = new EngineClient({ temporal: shared, pool, taskQueue, eagerStart: true });
  const started = await client.start({ organizationId: 'default', graph: localChain(), input: { n: 2 } });
  const view = await client.waitForEnd('default', started.executionId);
  expect(view).toMatchObject({ status: 'completed', output: 6 });
  expect(starts.at(-1)).toBe(true);
});

test('without it (the default) the same client starts executions as usual', async () => {
  const client = new EngineClient({ temporal: shared, pool, taskQueue });
  const started = await client.start({ organizationId: 'default', graph: localChain(), input: { n: 1 } });
  expect(await client.waitForEnd('default', started.executionId)).toMatchObject({ status: 'completed', output: 4 });
  expect(starts.at(-1)).toBe(false);
});

test('eagerStart on a connection of its own is refused by the SDK, naming the shared NativeConnection it needs', async () => {
  const own = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const client = new EngineClient({ temporal: new Client({ connection: own, namespace: 'default' }), pool, taskQueue, eagerStart: true });
    await expect(client.start({ organizationId: 'default', graph: localChain(), input: { n: 1 } })).rejects.toThrow(/NativeConnection shared between client and worker/);
  } finally {
    await own.close();
  }
});
