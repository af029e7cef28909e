/**
 * Strict FIFO survives a Temporal server restart: a dev server with its own SQLite file is
 * stopped in the middle of a queue and started again on the same file and port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, expect, inject, test } from 'vitest';
import { EngineClient } from '../../src/client';
import { createPool } from '../../src/store/pool';
import { freePort } from '../../src/stack/free-port';
import { startDevServer, type DevServer } from '../../src/stack/temporal-server';
import { createEngineWorker } from '../../src/worker';
import { createTestDatabase, silentLogger } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

test('a queue keeps its order across a Temporal server restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-restart-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const dbFilename = join(dir, 'temporal.sqlite');
  let server: DevServer = await startDevServer({ port, dbFilename });
  cleanups.push(() => server.stop());

  const databaseUrl = await createTestDatabase();
  const pool = createPool(databaseUrl);
  cleanups.push(() => pool.end());
  const connection = await Connection.connect({ address: server.address });
  cleanups.push(() => connection.close());
  const client = new EngineClient({ temporal: new Client({ connection }), pool, taskQueue: 'restart' });
  const native = await NativeConnection.connect({ address: server.address });
  const worker: Worker = await createEngineWorker({ connection: native, namespace: 'default', taskQueue: 'restart', pool, logger: silentLogger, workflowBundle: { codePath: inject('workflowBundlePath') } });
  const running = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await native.close();
  });

  const graph = { id: graphId('restart'), version: 1, settings: { concurrency: { key: "'restart-key'", max: 1 } }, nodes: [{ id: 'work', type: 'mock', config: { delayMs: 700 } }] };
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await client.start({ organizationId: 'default', graph })).executionId);

  // Two done, the rest queued or running: stop the server, then start it again on the same file.
  const statusesAtStop = await waitFor('two executions of the queue to complete', 30_000, async () => {
    const found = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM executions WHERE id = ANY($1) GROUP BY status', [ids]);
    const counts: Record<string, number> = Object.fromEntries(found.rows.map((row) => [row.status, row.n]));
    return (counts.completed ?? 0) >= 2 ? counts : undefined;
  }, 100);
  // The restart really falls in the middle of the queue: some executions still wait for their slot.
  expect(statusesAtStop.queued ?? 0, JSON.stringify(statusesAtStop)).toBeGreaterThan(0);
  await server.stop();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  server = await startDevServer({ port, dbFilename });

  const views = await Promise.all(ids.map((id) => client.waitForEnd('default', id)));
  expect(views.map((view) => view.status)).toEqual(Array(6).fill('completed'));
  const starts = views.map((view) => Date.parse(view.startedAt!));
  for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]);
  for (let i = 1; i < views.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(Date.parse(views[i - 1].finishedAt!));
}, 120_000);
