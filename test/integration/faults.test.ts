/**
 * Faults on real processes. A worker killed with SIGKILL in the middle of a graph: a new
 * worker finishes the execution, no completed node runs again, and the lost attempt shows as
 * failed (AttemptLost). PostgreSQL stopped in the middle of a run: nodes keep running, the
 * mirror writes that failed are retried and converge once it is back, and the execution
 * completes. In both, steps and attempts in Postgres match Temporal's history.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { EngineClient, type ExecutionView } from '../../src/client';
import type { Logger } from '../../src/common/logger';
import { migrate } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/stack/postgres';
import { createEngineWorker } from '../../src/worker';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { freePort } from '../helpers/free-port';
import { graphId } from '../helpers/graphs';
import { activitiesFromHistory, type ActivityFromHistory } from '../helpers/history';
import { sleep, waitFor } from '../helpers/wait-for';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

/** A chain n01 → n02 → … of mock nodes, each returning {n: i}. */
function chain(count: number, node: Record<string, unknown>): { nodes: Record<string, unknown>[]; edges: { from: string; to: string }[] } {
  const ids = Array.from({ length: count }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
  return {
    nodes: ids.map((id, i) => ({ ...node, id, type: 'mock', config: { ...(node.config as object), output: { n: i + 1 } } })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

interface AttemptRow {
  attempt: number;
  status: string;
  error: { type: string } | null;
}

async function attemptsInMirror(pool: Pool, executionId: string): Promise<Map<string, AttemptRow[]>> {
  const rows = await pool.query<AttemptRow & { node_id: string }>(
    'SELECT node_id, attempt, status, error FROM execution_step_attempts WHERE execution_id = $1 ORDER BY node_id, attempt',
    [executionId],
  );
  const byNode = new Map<string, AttemptRow[]>();
  for (const { node_id: nodeId, ...row } of rows.rows) byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), row]);
  return byNode;
}

/** The rules of mirror-consistency.test.ts: every step and attempt in Postgres says what history says. */
async function expectMirrorMatchesHistory(temporal: Client, pool: Pool, view: ExecutionView): Promise<{ activities: ActivityFromHistory[]; attempts: Map<string, AttemptRow[]> }> {
  const activities = await activitiesFromHistory(temporal, view.executionId);
  // One activity per node (all are mock nodes here), named by node id: none was scheduled twice.
  expect(activities.map((a) => a.activityId).sort()).toEqual(Object.keys(view.steps).sort());
  const attempts = await attemptsInMirror(pool, view.executionId);
  for (const activity of activities) {
    expect({ node: activity.activityId, outcome: activity.outcome }).toEqual({ node: activity.activityId, outcome: 'completed' });
    const step = view.steps[activity.activityId];
    expect({ node: activity.activityId, status: step.status, attempts: step.attempts }).toEqual({ node: activity.activityId, status: 'completed', attempts: activity.attempts });
    const rows = attempts.get(activity.activityId) ?? [];
    expect({ node: activity.activityId, attempts: rows.map((row) => row.attempt) }).toEqual({ node: activity.activityId, attempts: Array.from({ length: activity.attempts }, (_, i) => i + 1) });
    expect({ node: activity.activityId, earlier: rows.slice(0, -1).map((row) => row.status) }).toEqual({ node: activity.activityId, earlier: rows.slice(0, -1).map(() => 'failed') });
    expect({ node: activity.activityId, last: rows.at(-1)?.status }).toEqual({ node: activity.activityId, last: 'completed' });
  }
  return { activities, attempts };
}

/** Ends a workflow a failed test left running, so its worker can shut down. */
async function terminateIfRunning(temporal: Client, workflowId: string | undefined): Promise<void> {
  if (!workflowId) return;
  await temporal.workflow
    .getHandle(workflowId)
    .terminate('test cleanup')
    .catch(() => undefined);
}

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
});
afterAll(async () => engine?.stop());

describe('worker killed with SIGKILL', () => {
  let child: WorkerProcess | undefined;
  let executionId: string | undefined;

  const startChildWorker = (): void => {
    child = spawnWorkerProcess({
      script: 'src/worker.ts',
      env: { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, LOG_LEVEL: 'warn' },
    });
  };
  const childIsRunning = (): boolean => child?.running() ?? false;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await child?.exited;
    await terminateIfRunning(engine.temporal, executionId);
  });

  test('a new worker finishes the execution; no completed node runs again; the lost attempt is recorded as failed', { timeout: 100_000 }, async () => {
    startChildWorker();
    const graph = { id: graphId('sigkill'), version: 1, ...chain(20, { config: { delayMs: 500 }, timeout: { heartbeat: '2s' }, retry: { initialInterval: '100ms' } }) };
    const started = await engine.client.start({ organizationId: 'default', graph, input: {} });
    executionId = started.executionId;

    // Kill the worker once some nodes completed, while a node's first attempt has just started
    // (well inside its 500 ms), so that attempt is certainly lost.
    const atKill = await waitFor('a few completed nodes and a freshly started attempt', 60_000, async () => {
      if (!childIsRunning()) throw new Error(`the worker process exited early:\n${child?.stderrTail()}`);
      const found = await engine.pool.query<{ completed: string[]; running: string | null }>(
        `SELECT coalesce((SELECT array_agg(node_id ORDER BY node_id) FROM execution_steps
                           WHERE execution_id = $1 AND status = 'completed'), '{}') AS completed,
                (SELECT node_id FROM execution_step_attempts
                  WHERE execution_id = $1 AND status = 'running' AND attempt = 1 AND now() - started_at < interval '200 milliseconds'
                  LIMIT 1) AS running`,
        [started.executionId],
      );
      const row = found.rows[0];
      return row.completed.length >= 5 && row.running ? { completed: row.completed, interrupted: row.running } : undefined;
    }, 20);
    child!.kill('SIGKILL');
    expect((await child!.exited).signal).toBe('SIGKILL');

    // What Temporal knew when the worker died: every node the mirror showed completed had
    // completed in history, and the interrupted node's activity was still open.
    const historyAtKill = new Map((await activitiesFromHistory(engine.temporal, started.executionId)).map((a) => [a.activityId, a]));
    for (const nodeId of atKill.completed) expect({ node: nodeId, outcome: historyAtKill.get(nodeId)?.outcome }).toEqual({ node: nodeId, outcome: 'completed' });
    expect(historyAtKill.get(atKill.interrupted)?.outcome).toBe('open');

    // A new worker on the same task queue picks the execution up.
    await engine.startWorker();
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('completed');
    expect(Object.keys(view.steps)).toHaveLength(20);
    for (const [nodeId, step] of Object.entries(view.steps)) expect({ node: nodeId, status: step.status }).toEqual({ node: nodeId, status: 'completed' });
    expect(view.output).toEqual({ n: 20 });

    const { attempts } = await expectMirrorMatchesHistory(engine.temporal, engine.pool, view);
    // No node that had completed before the kill ran again.
    for (const nodeId of atKill.completed) {
      expect({ node: nodeId, attempts: view.steps[nodeId].attempts }).toEqual({ node: nodeId, attempts: 1 });
      expect({ node: nodeId, rows: attempts.get(nodeId)?.map((row) => [row.attempt, row.status]) }).toEqual({ node: nodeId, rows: [[1, 'completed']] });
    }
    // The interrupted attempt timed out (heartbeat) and was retried by the new worker.
    expect(view.steps[atKill.interrupted].attempts).toBeGreaterThanOrEqual(2);
    const interruptedRows = attempts.get(atKill.interrupted)!;
    expect(interruptedRows[0]).toMatchObject({ attempt: 1, status: 'failed', error: { type: 'AttemptLost' } });
    expect(interruptedRows.at(-1)).toMatchObject({ status: 'completed', error: null });
  });
});

describe('PostgreSQL stopped mid-run', () => {
  let workDir: string | undefined;
  let port: number;
  let postgres: RunningPostgres | undefined;
  let pool: Pool | undefined;
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let workerRunning: Promise<void> = Promise.resolve();
  let connection: Connection | undefined;
  let temporal: Client;
  let client: EngineClient;
  let executionId: string | undefined;
  const warnings: string[] = [];

  const startPostgres = async (): Promise<RunningPostgres> => {
    postgres = await startEmbeddedPostgres({ dataDir: join(workDir!, 'pg'), port, database: 'wf_faults', ephemeral: true });
    return postgres;
  };
  const stopPostgres = async (): Promise<void> => {
    const running = postgres;
    postgres = undefined;
    await running?.stop();
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'wf-faults-'));
    // Postgres runs as its own system user when we are root: it must be able to reach its dir.
    chmodSync(workDir, 0o755);
    port = await freePort();
    const { url } = await startPostgres();
    await migrate(url);
    pool = createPool(url);
    const logger: Logger = {
      info: () => undefined,
      warn: (_fields, message) => void warnings.push(message ?? ''),
      error: (_fields, message) => void warnings.push(message ?? ''),
    };
    const address = inject('temporalAddress');
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createEngineWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue: `${engine.taskQueue}-pg`,
      pool,
      logger,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    workerRunning = worker.run();
    connection = await Connection.connect({ address });
    temporal = new Client({ connection, namespace: 'default' });
    client = new EngineClient({ temporal, pool, taskQueue: `${engine.taskQueue}-pg` });
  });

  afterAll(async () => {
    // A failed test may leave Postgres down: bring it back so the worker can drain, end the
    // workflow, then stop everything in reverse order.
    if (workDir && !postgres) await startPostgres().catch(() => undefined);
    if (connection) await terminateIfRunning(temporal, executionId);
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRunning.catch(() => undefined);
    await nativeConnection?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await stopPostgres().catch(() => undefined);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('nodes keep running, mirror writes converge once it is back, and the execution completes', { timeout: 100_000 }, async () => {
    const graph = { id: graphId('pg-outage'), version: 1, ...chain(16, { config: { delayMs: 400 } }) };
    const started = await client.start({ organizationId: 'default', graph, input: {} });
    executionId = started.executionId;

    await waitFor('three completed nodes', 60_000, async () => {
      const found = await pool!.query<{ n: number }>("SELECT count(*)::int AS n FROM execution_steps WHERE execution_id = $1 AND status = 'completed'", [started.executionId]);
      return found.rows[0].n >= 3 ? true : undefined;
    });
    await stopPostgres();
    // Nodes keep completing in Temporal while the mirror is unreachable.
    const handle = temporal.workflow.getHandle(started.executionId);
    const completedInHistory = async (): Promise<number> => (await activitiesFromHistory(temporal, started.executionId)).filter((a) => a.outcome === 'completed').length;
    const completedAtStop = await completedInHistory();
    await waitFor('nodes completing while Postgres is down', 30_000, async () => ((await completedInHistory()) >= completedAtStop + 3 ? true : undefined), 200);
    await sleep(3000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(warnings.some((message) => message.includes('mirror write failed'))).toBe(true);
    await startPostgres();

    const view = await client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('completed');
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(Object.keys(view.steps)).toHaveLength(16);
    for (const [nodeId, step] of Object.entries(view.steps)) expect({ node: nodeId, status: step.status }).toEqual({ node: nodeId, status: 'completed' });
    await expectMirrorMatchesHistory(temporal, pool!, view);
    // Attempts whose activity could not reach Postgres were written by the workflow's batches.
    const unreported = await pool!.query<{ n: number }>('SELECT count(*)::int AS n FROM execution_step_attempts WHERE execution_id = $1 AND started_at IS NULL', [started.executionId]);
    expect(unreported.rows[0].n).toBeGreaterThan(0);
    // Outputs of nodes that finished while the mirror was down were written by the workflow.
    const outputs = await pool!.query<{ node_id: string; output: unknown }>('SELECT node_id, output FROM execution_steps WHERE execution_id = $1 ORDER BY node_id', [started.executionId]);
    expect(outputs.rows.map((row) => row.output)).toEqual(Array.from({ length: 16 }, (_, i) => ({ n: i + 1 })));
    const execution = await pool!.query('SELECT status, output, error, finished_at FROM executions WHERE id = $1', [started.executionId]);
    expect(execution.rows[0]).toMatchObject({ status: 'completed', output: { n: 16 }, error: null });
    expect(execution.rows[0].finished_at).not.toBeNull();
  });
});
