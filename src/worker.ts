/**
 * The only place that wires connections, activities and the Temporal worker.
 * `npm run worker` runs one against TEMPORAL_ADDRESS and DATABASE_URL (README, Production);
 * `npm start` runs one inside the local stack (connectEngineWorker, shared).
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { sdkJsonLogger } from './common/sdk-logger';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from './activities';
import { NODE_WORK } from './activities/nodes';
import { createLogger } from './common/create-logger';
import { checkDatabase, isEntryPoint, oneLine, runEntryPoint, shutdownSignal } from './common/entry-point';
import type { Logger } from './common/logger';
import { describeConnectFailure } from './common/temporal-connect-failure';
import { nativeConnectionOptions } from './common/temporal-connection';
import { loadPayloadKeys, loadSecretsCipher, loadTelemetryConfig, loadWorkerConfig, redactUrl, type EngineConfig } from './config';
import type { SecretCipher } from './secrets/cipher';
import { createSecretLookup } from './secrets/postgres-secret-lookup';
import { attachNotificationServices, type NotificationOptions } from './notifications/worker-services';
import type { SecretLookup } from './activities/secret-scope';
import { createPool } from './store/pool';
import { startTelemetryIfConfigured, type Telemetry } from './telemetry';
import { payloadDataConverter } from './payloads/data-converter';
import type { NodeActivityInput, NodeActivityResult } from './workflows/contracts/node-activity';
import { WORKFLOW_BUNDLER_OPTIONS } from './workflow-bundle-options';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/**
 * How long a workflow task waits on the sticky queue of the worker that has the workflow
 * cached before it goes to the shared task queue. A SIGKILLed worker never says it left, so
 * every execution it had cached waits this long for its next step; the SDK's 10 s default
 * would be the recovery time. 1 s keeps recovery within RELIABILITY.md's 3 s; a live worker
 * too busy to pick its sticky task up in 1 s only costs a replay on another worker.
 */
export const STICKY_SCHEDULE_TO_START_TIMEOUT = '1s';

export type NodeActivity = (input: NodeActivityInput) => Promise<NodeActivityResult>;

export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  logger: Logger;
  /** Opens stored secrets (WF_SECRETS_KEY); without it, a node that refers to a secret fails, not retried, saying so. */
  secretCipher?: SecretCipher;
  /** A prebuilt bundle (tests, benchmarks build it once); otherwise built from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra workflows path (benchmarks add their hand-written baseline). */
  workflowsPath?: string;
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  maxCachedWorkflows?: number;
  /**
   * Wraps every node activity (one per activity node type, not the mirror's local
   * activities). The chaos suite uses it to send a side effect from inside each attempt
   * (scripts/chaos/side-effects.ts); the engine itself never sets it.
   */
  wrapNodeActivity?: (activity: NodeActivity, nodeType: string) => NodeActivity;
  /** Stored secrets for `{"$secret"}` references; by default the Postgres store opened with secretCipher (tests may give a fake). */
  secrets?: SecretLookup;
  /** The http node's egress exceptions (WF_HTTP_ALLOW); without it only public addresses. */
  http?: ActivityDeps['http'];
  /** The outbox relay, heartbeat and delivery retries (src/notifications/worker-services.ts). */
  notifications?: NotificationOptions;
  /** Traces (OTEL_EXPORTER_OTLP_ENDPOINT): its interceptors and span sink; a given workflowBundle must include WORKFLOW_TRACING_MODULES. */
  telemetry?: Telemetry;
  /** The payload encryption codec (WF_PAYLOAD_KEY), for the worker and its relay's client alike; plain payloads without it. */
  dataConverter?: DataConverter;
  /** WF_INLINE_OUTPUT_BYTES (default 256 KiB): larger node outputs travel as references to Postgres. */
  inlineOutputBytes?: number;
}

export async function createEngineWorker(options: EngineWorkerOptions): Promise<Worker> {
  // The client shares the worker's connection: the relay starts delivery workflows through it,
  // the knowledge.ingest node its ingest workflows.
  const temporal = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
  const activities: Record<string, (...args: never[]) => Promise<unknown>> = {
    // The cipher also opens webhook signing secrets (the notify node).
    ...createActivities({ pool: options.pool, logger: options.logger, cipher: options.secretCipher, http: options.http, secrets: options.secrets ?? createSecretLookup(options.pool, options.secretCipher), inlineOutputBytes: options.inlineOutputBytes, temporal: { client: temporal, taskQueue: options.taskQueue } }),
    ...options.extraActivities,
  };
  const wrap = options.wrapNodeActivity;
  if (wrap) for (const type of Object.keys(NODE_WORK)) activities[type] = wrap(activities[type] as NodeActivity, type);
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH, bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }),
    maxCachedWorkflows: options.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: STICKY_SCHEDULE_TO_START_TIMEOUT,
    ...options.telemetry?.workerOptions,
    dataConverter: options.dataConverter,
  });
  attachNotificationServices(worker, { pool: options.pool, temporal, taskQueue: options.taskQueue, logger: options.logger }, options.notifications);
  return worker;
}

/**
 * A worker with its own Temporal connection; close() it after run() resolved. A client of
 * the same process may share `connection` to start executions eagerly (EngineClientOptions.eagerStart).
 */
export async function connectEngineWorker(
  config: EngineConfig,
  deps: { pool: Pool; logger: Logger; secretCipher?: SecretCipher; http?: ActivityDeps['http']; telemetry?: Telemetry; dataConverter?: DataConverter },
  extra: Pick<EngineWorkerOptions, 'workflowBundle' | 'wrapNodeActivity' | 'secrets' | 'notifications'> = {},
): Promise<{ worker: Worker; connection: NativeConnection; close(): Promise<void> }> {
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(nativeConnectionOptions(config));
  } catch (error) {
    // The native client's errors are Rust debug output; the OS's words are enough.
    const reason = /message: "([^"]+)"/.exec(oneLine(error))?.[1] ?? oneLine(error);
    const failure = await describeConnectFailure(config, `Temporal is unreachable at ${config.temporalAddress} (TEMPORAL_ADDRESS): ${reason}`);
    throw new Error(failure.message, { cause: error });
  }
  try {
    const worker = await createEngineWorker({ ...extra, connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, pool: deps.pool, logger: deps.logger, secretCipher: deps.secretCipher, http: deps.http, telemetry: deps.telemetry, dataConverter: deps.dataConverter, inlineOutputBytes: config.inlineOutputBytes });
    return { worker, connection, close: () => connection.close() };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/** `npm run worker`: one worker until SIGINT/SIGTERM (the SDK's handlers drain it first). */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const secretCipher = loadSecretsCipher();
  const dataConverter = payloadDataConverter(loadPayloadKeys());
  const logger = createLogger('wf-worker', config.logLevel);
  // Installed first: its signal handlers then also cover a signal during start-up. The SDK
  // drops them at the first signal; ours stay, so a repeated one does not cut the drain short.
  Runtime.install({ logger: sdkJsonLogger(config.logLevel, logger) });
  void shutdownSignal();
  const telemetry = await startTelemetryIfConfigured(loadTelemetryConfig('wf-worker'));
  const pool = createPool(config.databaseUrl);
  try {
    await checkDatabase(pool, redactUrl(config.databaseUrl));
    logger.info({ temporal: config.temporalAddress, taskQueue: config.taskQueue }, 'worker starting (bundling workflows)');
    const { worker, close } = await connectEngineWorker(config, { pool, logger, secretCipher, http: { allow: config.httpAllow }, telemetry, dataConverter });
    try {
      logger.info({ temporal: config.temporalAddress, namespace: config.temporalNamespace, database: redactUrl(config.databaseUrl), taskQueue: config.taskQueue }, 'worker started');
      // Said once it runs, so a worker that cannot start says only why.
      if (!secretCipher) logger.warn({}, 'WF_SECRETS_KEY is not set: nodes that refer to a secret will fail (SecretsKeyMissing)');
      // run() resolves after SIGINT/SIGTERM once running tasks drained.
      await worker.run();
      logger.info({}, 'worker stopped');
    } finally {
      await close();
    }
  } finally {
    await pool.end();
    await telemetry?.shutdown();
  }
}

if (isEntryPoint(import.meta.url)) runEntryPoint('npm run worker', main);
