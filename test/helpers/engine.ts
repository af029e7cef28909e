/**
 * One engine per test file on the shared real servers: its own Postgres database (migrated),
 * its own task queue, a worker running the shared workflow bundle, and a client.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { inject } from 'vitest';
import { EngineClient } from '../../src/client';
import { createPool } from '../../src/store/pool';
import { migrate } from '../../src/store/migrate';
import { createDatabaseIfMissing } from '../../src/store/create-database';
import { createEngineWorker, type EngineWorkerOptions } from '../../src/worker';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import type { Logger } from '../../src/common/logger';
import { LOCAL_DEVELOPMENT_ALLOW, parseEgressAllow } from '../../src/common/egress-allow';
import type { ActivityDeps } from '../../src/activities';

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TestEngine {
  client: EngineClient;
  temporal: Client;
  pool: Pool;
  databaseUrl: string;
  taskQueue: string;
  /** The WF_SECRETS_KEY of this engine (generated), or undefined when started with `secretsKey: null`. */
  secretsKey?: string;
  secretCipher?: SecretCipher;
  startWorker(options?: { maxCachedWorkflows?: number }): Promise<Worker>;
  stop(): Promise<void>;
}

export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  await migrate(url);
  return url;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

/** Test servers listen on loopback: the http node may reach it unless a test says otherwise. */
const TEST_HTTP_EGRESS: NonNullable<ActivityDeps['http']> = { allow: parseEgressAllow(LOCAL_DEVELOPMENT_ALLOW) };

/** What a test may give every worker of its engine: a secret lookup (a fake instead of the store), notification settings. */
export type TestWorkerExtras = Pick<EngineWorkerOptions, 'secrets' | 'notifications'>;

/** `secretsKey`: the engine's WF_SECRETS_KEY (generated when omitted; null for none). `dataConverter`: the payload codec of its client and workers. */
export async function startTestEngine(options: { worker?: boolean; maxCachedWorkflows?: number; secretsKey?: string | null; workerExtras?: TestWorkerExtras; dataConverter?: DataConverter } & Pick<ActivityDeps, 'http' | 'secrets' | 'inlineOutputBytes'> = {}): Promise<TestEngine> {
  quietRuntime();
  const secretsKey = options.secretsKey === null ? undefined : (options.secretsKey ?? generateSecretsKey());
  const secretCipher = secretsKey ? new SecretCipher(parseSecretsKey(secretsKey, 'WF_SECRETS_KEY')) : undefined;
  const databaseUrl = await createTestDatabase();
  const pool = createPool(databaseUrl);
  const address = inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: options.dataConverter });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const client = new EngineClient({ temporal, pool, taskQueue });
  const workers: { worker: Worker; running: Promise<void>; connection: NativeConnection }[] = [];

  const startWorker = async (workerOptions: { maxCachedWorkflows?: number } = {}): Promise<Worker> => {
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await createEngineWorker({
      ...options.workerExtras,
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      pool,
      logger: silentLogger,
      secretCipher,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      maxCachedWorkflows: workerOptions.maxCachedWorkflows ?? options.maxCachedWorkflows,
      http: options.http ?? TEST_HTTP_EGRESS,
      secrets: options.secrets ?? options.workerExtras?.secrets,
      dataConverter: options.dataConverter,
      inlineOutputBytes: options.inlineOutputBytes,
    });
    workers.push({ worker, running: worker.run(), connection: nativeConnection });
    return worker;
  };
  if (options.worker !== false) await startWorker();

  return {
    client,
    temporal,
    pool,
    databaseUrl,
    taskQueue,
    secretsKey,
    secretCipher,
    startWorker,
    async stop() {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.allSettled(workers.map((w) => w.running));
      await Promise.allSettled(workers.map((w) => w.connection.close()));
      await connection.close();
      await pool.end();
    },
  };
}
