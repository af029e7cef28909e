/**
 * `npm run api`: one HTTP API process (DESIGN §9) against an existing Temporal
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE) and PostgreSQL (DATABASE_URL), until SIGINT/SIGTERM.
 * Stateless: run as many as you need behind a load balancer. `npm start` serves the same API
 * through startApi.
 */
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import type { EgressAllowList } from '../common/egress-allow';
import { EngineClient } from '../client';
import { checkDatabase, isEntryPoint, oneLine, runEntryPoint, shutdownSignal } from '../common/entry-point';
import { describeConnectFailure } from '../common/temporal-connect-failure';
import { clientConnectionOptions } from '../common/temporal-connection';
import { loadApiConfig, loadPayloadKeys, loadSecretsCipher, loadTelemetryConfig, redactUrl, type ApiLimits, type EngineConfig, type LogLevel } from '../config';
import type { SecretCipher } from '../secrets/cipher';
import { createPool } from '../store/pool';
import { startTelemetryIfConfigured, type Telemetry } from '../telemetry';
import { codecOf, payloadDataConverter } from '../payloads/data-converter';
import { buildApi } from './app';
import { startMetricsListener, type RunningMetricsListener } from './metrics-listener';
import { createMetrics } from './metrics';
import { startWorkerHealthMonitor } from '../notifications/worker-health';

/** How long close() lets open requests finish before it closes their connections. */
const CLOSE_GRACE_MS = 5000;

export interface ApiListenOptions {
  host: string;
  port: number;
  /** Fastify's request logs (JSON on stderr); the Authorization header is never logged. */
  logLevel: LogLevel;
  /** WF_METRICS_PORT: where the whole process's metrics are served on 127.0.0.1, without a key; none when undefined. */
  metricsPort?: number;
  /** Rate limits and the longest event stream (WF_RATE_LIMIT_PER_MINUTE, WF_AUTH_FAILURES_PER_MINUTE, WF_SSE_MAX_SECONDS); the defaults when omitted. */
  limits?: ApiLimits;
  /** Seals secrets stored through the API (WF_SECRETS_KEY); without it, storing one answers 503. */
  secretCipher?: SecretCipher;
  /** Traces (OTEL_EXPORTER_OTLP_ENDPOINT): a span per request, and the executions it starts join its trace. */
  telemetry?: Telemetry;
  /** The payload encryption codec (WF_PAYLOAD_KEY): for the API's client and its /codec routes. */
  dataConverter?: DataConverter;
  /** WF_CODEC_CORS_ORIGIN: the Web UI's origins, the only ones whose pages may call /codec. */
  codecCorsOrigins?: string[];
  /** WF_TEMPORAL_UI_URL: where the console links executions in the Temporal Web UI. */
  temporalUiUrl?: string;
  /**
   * The connection of a worker in this process (`npm start`): the API's client shares it and
   * starts executions eagerly (EngineClientOptions.eagerStart). Its owner closes it. Without
   * it the API connects on its own and starts executions as usual.
   */
  workerConnection?: NativeConnection;
  /** WF_HTTP_ALLOW: the egress rules of a provider embedder called for a search query. */
  httpAllow?: EgressAllowList;
}

export interface RunningApi {
  /** http://host:port */
  url: string;
  /** http://127.0.0.1:port/metrics when a metrics port was given. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Connects a client to Temporal, builds the API on `pool` and listens; close() undoes all of it. */
export async function startApi(config: EngineConfig, pool: Pool, options: ApiListenOptions): Promise<RunningApi> {
  const { connection, closeConnection } = await apiConnection(config, options.workerConnection);
  const temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter: options.dataConverter, interceptors: { workflow: options.telemetry?.clientInterceptors } });
  // Eager start needs a worker on this very connection, which only a shared one has.
  const client = new EngineClient({ temporal, pool, taskQueue: config.taskQueue, eagerStart: options.workerConnection !== undefined });
  const metrics = createMetrics(pool);
  // JSON request logs on stderr (stdout says where the API listens); never the Authorization header.
  const api = await buildApi({ client, pool, secretCipher: options.secretCipher, payloadCodec: codecOf(options.dataConverter), codecCorsOrigins: options.codecCorsOrigins, temporalUiUrl: options.temporalUiUrl, httpAllow: options.httpAllow }, { logger: { level: options.logLevel, redact: ['req.headers.authorization'], stream: process.stderr }, metrics, limits: options.limits, telemetry: options.telemetry });
  // With no worker alive nothing else would notice: worker.unhealthy is raised from here too.
  const healthMonitor = startWorkerHealthMonitor(pool, api.log);
  const undo = async (): Promise<void> => {
    healthMonitor.stop();
    await api.close().catch(() => undefined);
    await closeConnection().catch(() => undefined);
  };
  try {
    await api.listen({ host: options.host, port: options.port });
  } catch (error) {
    await undo();
    throw new Error(`cannot listen on ${options.host}:${options.port}: ${oneLine(error)}`, { cause: error });
  }
  let metricsListener: RunningMetricsListener | undefined;
  if (options.metricsPort !== undefined) {
    try {
      metricsListener = await startMetricsListener(metrics.registry, options.metricsPort);
    } catch (error) {
      await undo();
      throw new Error(`cannot listen on 127.0.0.1:${options.metricsPort} (WF_METRICS_PORT): ${oneLine(error)}`, { cause: error });
    }
  }
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
    metricsUrl: metricsListener?.url,
    async close() {
      healthMonitor.stop();
      await metricsListener?.close();
      // Requests in flight may finish; streams (SSE) that would keep the server open are cut after a grace period.
      const cut = setTimeout(() => api.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await api.close();
      } finally {
        clearTimeout(cut);
      }
      await closeConnection();
    },
  };
}

/** The worker's connection when shared (its owner closes it), else one of the API's own. */
async function apiConnection(config: EngineConfig, shared: NativeConnection | undefined): Promise<{ connection: ConnectionLike; closeConnection(): Promise<void> }> {
  if (shared) return { connection: shared, closeConnection: async () => undefined };
  try {
    const connection = await Connection.connect({ ...clientConnectionOptions(config), connectTimeout: 5000 });
    return { connection, closeConnection: () => connection.close() };
  } catch (error) {
    const failure = await describeConnectFailure(config, `Temporal is unreachable at ${config.temporalAddress} (TEMPORAL_ADDRESS): ${oneLine(error)}`);
    throw new Error(failure.message, { cause: error });
  }
}

async function main(): Promise<void> {
  const config = loadApiConfig();
  const secretCipher = loadSecretsCipher();
  const dataConverter = payloadDataConverter(loadPayloadKeys());
  const stop = shutdownSignal();
  const telemetry = await startTelemetryIfConfigured(loadTelemetryConfig('wf-api'));
  const pool = createPool(config.databaseUrl);
  try {
    await checkDatabase(pool, redactUrl(config.databaseUrl));
    const api = await startApi(config, pool, { host: config.apiHost, port: config.apiPort, logLevel: config.logLevel, metricsPort: config.metricsPort, limits: config.limits, secretCipher, telemetry, dataConverter, codecCorsOrigins: config.codecCorsOrigins, temporalUiUrl: config.temporalUiUrl, httpAllow: config.httpAllow });
    try {
      process.stdout.write(`HTTP API: ${api.url}/api/v1 (OpenAPI at /docs, /health, /metrics); Temporal ${config.temporalAddress}, namespace "${config.temporalNamespace}", task queue "${config.taskQueue}"\n`);
      if (api.metricsUrl) process.stdout.write(`Metrics:  ${api.metricsUrl} (every organization, no key: WF_METRICS_PORT)\n`);
      await stop;
    } finally {
      await api.close();
    }
  } finally {
    await pool.end();
    await telemetry?.shutdown();
  }
}

if (isEntryPoint(import.meta.url)) runEntryPoint('npm run api', main);
