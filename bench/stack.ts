/**
 * The bench's stack, all in this process: a Temporal CLI dev server and an embedded
 * PostgreSQL on free 127.0.0.1 ports (in a temporary directory, removed at the end), the
 * migrations, one worker running the combined bundle (engine + baseline), the pools (their
 * SQL statements counted) and a client. SIGINT/SIGTERM stop everything in order.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap as WorkflowBundle } from '@temporalio/worker';
import { EngineClient } from '../src/client';
import type { Logger } from '../src/common/logger';
import { LOCAL_DEVELOPMENT_ALLOW, parseEgressAllow } from '../src/common/egress-allow';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/stack/postgres';
import type { DevServer } from '../src/stack/temporal-server';
import { migrate } from '../src/store/migrate';
import { createPool } from '../src/store/pool';
import { createEngineWorker } from '../src/worker';
import { freePort } from '../test/helpers/free-port';
import { startBenchDevServer } from './dev-server';
import { PgBossExecutor } from './pgboss/executor';
import { QueryCounter } from './diagnostics';
import { BASELINE_ONLY_ENTRY, progress, STOCK_DEV_SERVER, TASK_QUEUE, WORKFLOWS_ENTRY } from './settings';
import type { Bench } from './systems';
import { WORKFLOW_BUNDLER_OPTIONS } from '../src/workflow-bundle-options';

/**
 * The pg-boss executor's workers and the jobs each settles per transaction: 4 x 8 = 32 jobs at
 * once, the best all-round setting of a sweep on this machine (test/integration/pgboss-executor.test.ts
 * has the executor's own figures): batches of 8 win at 8 in flight, more workers at 100 and more.
 */
const PGBOSS_WORKERS = 4;
const PGBOSS_BATCH = 8;

/** The http bench's server listens on loopback: the worker may reach it, as under `npm start`. */
export const BENCH_HTTP_EGRESS = { allow: parseEgressAllow(LOCAL_DEVELOPMENT_ALLOW) };

export interface BenchStack {
  bench: Bench;
  server: DevServer;
  /** The bench's database (migrated), for processes of their own (bench/scale-out.ts). */
  databaseUrl: string;
  counter: QueryCounter;
  /** The bundle the worker runs: the engine and the baseline together. */
  bundle: WorkflowBundle;
  /** The baseline alone, only for the replay diagnostics. */
  baselineOnlyBundle: Promise<WorkflowBundle>;
  /** `work`, unless the bench is interrupted or the worker stops first. */
  guarded<T>(work: Promise<T>): Promise<T>;
}

/** Starts the stack, runs `work` on it, then stops everything (also when interrupted or failed). */
export async function withBenchStack(work: (stack: BenchStack) => Promise<void>): Promise<void> {
  // Before anything touches the native runtime (the dev server is started through it too).
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const logger: Logger = { info: () => undefined, warn: (obj, msg) => console.warn('warn', msg, obj), error: (obj, msg) => console.error('error', msg, obj) };
  const bundlerLogger = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

  const workDir = mkdtempSync(join(os.tmpdir(), 'wf-bench-'));
  chmodSync(workDir, 0o755); // embedded Postgres runs as its own user when we are root
  const cleanups: (() => Promise<unknown>)[] = [];
  let starting: Promise<[DevServer, RunningPostgres, WorkflowBundle]> | undefined;
  let interrupted: (reason: Error) => void = () => undefined;
  const interruption = new Promise<never>((_, reject) => (interrupted = reject));
  interruption.catch(() => undefined);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C: leave now
    progress(`\n${signal}: stopping (again to force)`);
    interrupted(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    progress(`starting Temporal dev server, PostgreSQL and the workflow bundle (work dir ${workDir})`);
    starting = Promise.all([
      freePort().then((port) => startBenchDevServer(port, STOCK_DEV_SERVER)).then((s: DevServer) => (cleanups.push(() => s.stop()), s)),
      freePort().then((port) => startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port, database: 'wf_bench', ephemeral: true })).then((p: RunningPostgres) => (cleanups.push(() => p.stop()), p)),
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, logger: bundlerLogger, ...WORKFLOW_BUNDLER_OPTIONS }),
    ]);
    starting.catch(() => undefined);
    const [server, postgres, bundle] = await Promise.race([starting, interruption]);
    await migrate(postgres.url, logger);
    // Only for the replay diagnostics; the worker runs the combined bundle.
    const baselineOnlyBundle = bundleWorkflowCode({ workflowsPath: BASELINE_ONLY_ENTRY, logger: bundlerLogger });
    baselineOnlyBundle.catch(() => undefined);

    const workerPool = createPool(postgres.url);
    const clientPool = createPool(postgres.url, 4);
    cleanups.push(() => workerPool.end(), () => clientPool.end());
    // The pg-boss executor (bench/pgboss/) in this process, on a pool of its own counted as the worker side.
    const pgbossPool = createPool(postgres.url, PGBOSS_WORKERS + 4);
    cleanups.push(() => pgbossPool.end());
    const counter = new QueryCounter();
    counter.install({ worker: [workerPool, pgbossPool], client: clientPool });
    const pgboss = await PgBossExecutor.start({ pool: pgbossPool, concurrency: PGBOSS_WORKERS * PGBOSS_BATCH, batchSize: PGBOSS_BATCH, onError: (error) => progress(`pg-boss executor: ${error instanceof Error ? error.message : String(error)}`) });
    cleanups.push(() => pgboss.stop());

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    const worker: Worker = await createEngineWorker({ connection: nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, pool: workerPool, logger, workflowBundle: bundle, http: BENCH_HTTP_EGRESS });
    const workerRun = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => undefined);
    });
    const workerDied = workerRun.then(() => Promise.reject(new Error('the worker stopped')));
    workerDied.catch(() => undefined);

    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection, namespace: 'default' });
    // Eager start needs the client on the worker's own connection (the SDK refuses any other).
    const eagerTemporal = new Client({ connection: nativeConnection, namespace: 'default' });
    const eager = { temporal: eagerTemporal, engine: new EngineClient({ temporal: eagerTemporal, pool: clientPool, taskQueue: TASK_QUEUE, eagerStart: true }) };
    const bench: Bench = { temporal, engine: new EngineClient({ temporal, pool: clientPool, taskQueue: TASK_QUEUE }), eager, workerPool, clientPool, pgboss };

    const guarded = <T>(work: Promise<T>): Promise<T> => {
      work.catch(() => undefined); // when a race is lost, the loser's later failure is expected
      return Promise.race([work, interruption, workerDied]);
    };
    await work({ bench, server, databaseUrl: postgres.url, counter, bundle, baselineOnlyBundle, guarded });
  } finally {
    // Interrupted while starting: let the servers come up, so that they are stopped below.
    await starting?.catch(() => undefined);
    // Reverse order: client, worker, pools, then the servers.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => progress(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
    }
    rmSync(workDir, { recursive: true, force: true });
  }
}
