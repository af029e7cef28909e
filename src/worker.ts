/**
 * The only place that wires connections, activities and the Temporal worker.
 * `npm run worker` runs one against TEMPORAL_ADDRESS and DATABASE_URL; `npm start` runs one
 * inside the local stack.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from './activities';
import { createLogger } from './common/create-logger';
import type { Logger } from './common/logger';
import { loadConfig, redactUrl } from './config';
import { createPool } from './db/pool';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  logger: Logger;
  /** A prebuilt bundle (tests, benchmarks build it once); otherwise built from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra workflows path (benchmarks add their hand-written baseline). */
  workflowsPath?: string;
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  maxCachedWorkflows?: number;
}

export async function createEngineWorker(options: EngineWorkerOptions): Promise<Worker> {
  const activities = { ...createActivities({ pool: options.pool, logger: options.logger }), ...options.extraActivities };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH }),
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('wf-worker');
  const pool = createPool(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createEngineWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, pool, logger });
  logger.info({ temporal: config.temporalAddress, database: redactUrl(config.databaseUrl), taskQueue: config.taskQueue }, 'worker started');
  // worker.run() resolves after SIGINT/SIGTERM once running tasks drained (the SDK installs the handlers).
  await worker.run();
  await connection.close();
  await pool.end();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
