/**
 * `npm start`: the local stack of DESIGN §8 in one process. A Temporal CLI dev server (Web UI
 * on 8233, SQLite under .data/) unless TEMPORAL_ADDRESS is set; embedded Postgres on 5433
 * unless DATABASE_URL is set; migrations; a worker. Ctrl-C stops everything it started, and
 * the next start finds the same data.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { Runtime } from '@temporalio/worker';
import { sdkConsoleLogger } from '../common/sdk-logger';
import { startApi } from '../api/server';
import { connectTemporal } from '../client/unavailable';
import { createLogger } from '../common/create-logger';
import { runEntryPoint, shutdownSignal } from '../common/entry-point';
import { LOCAL_STACK, loadConfig, loadLocalStackConfig, loadPayloadKeys, loadSecretsCipher, loadTelemetryConfig, redactUrl } from '../config';
import { startTelemetryIfConfigured } from '../telemetry';
import { payloadDataConverter } from '../payloads/data-converter';
import { ensurePayloadKeyFile, payloadKeyPath } from '../payloads/local-key-file';
import { ensureSecretsKeyFile, secretsKeyPath } from '../secrets/local-key-file';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { connectEngineWorker } from '../worker';
import { ensureFirstAdminKey } from './first-admin-key';
import { startEmbeddedPostgres, type RunningPostgres } from './postgres';
import { ensureSearchAttributes } from './search-attributes';
import { startDevServer, type DevServer } from './temporal-server';
import { DEFAULT_DATA_DIR } from './data-dir';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function main(): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const loaded = loadConfig();
  const local = loadLocalStackConfig(DEFAULT_DATA_DIR);
  // The dev server the stack starts is plaintext: TLS and API key settings are for an external Temporal only.
  const config = local.externalTemporal ? loaded : { ...loaded, temporalSecurity: undefined };
  const logger = createLogger('wf-stack', local.logLevel);
  // One readable line per SDK warning in this terminal (a retried node's failure is no stack dump).
  Runtime.install({ logger: sdkConsoleLogger('WARN') });
  // The SDK stops the worker at the first SIGINT/SIGTERM and then drops its handlers; ours
  // stay, so a repeated signal (Ctrl-C reaches npm and node alike) does not cut the shutdown
  // short and leave Postgres running.
  void shutdownSignal();
  mkdirSync(local.dataDir, { recursive: true });
  // WF_SECRETS_KEY wins; otherwise the key generated into .data/ on the first start.
  let keyFile: { path: string; created: boolean } | undefined;
  const secretCipher = loadSecretsCipher(undefined, () => {
    const path = secretsKeyPath(local.dataDir);
    const { key, created } = ensureSecretsKeyFile(path);
    keyFile = { path, created };
    return key;
  });
  // WF_PAYLOAD_KEY(S) wins; otherwise, with the dev server only, the key in .data/ (the `wf`
  // CLI reads it when TEMPORAL_ADDRESS is unset too, so both always agree).
  let payloadKeyFile: { path: string; created: boolean } | undefined;
  const dataConverter = payloadDataConverter(
    loadPayloadKeys(undefined, () => {
      if (local.externalTemporal) return undefined;
      const path = payloadKeyPath(local.dataDir);
      const { key, created } = ensurePayloadKeyFile(path);
      payloadKeyFile = { path, created };
      return key;
    }),
  );
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    let devServer: DevServer | undefined;
    if (local.externalTemporal) {
      const connection = await connectTemporal(config);
      const added = await ensureSearchAttributes(connection, config.temporalNamespace);
      await connection.close();
      say(`Temporal:   ${config.temporalAddress} (TEMPORAL_ADDRESS)${added.length ? `; registered ${added.join(', ')}` : ''}`);
    } else {
      for (const port of [LOCAL_STACK.temporalPort, LOCAL_STACK.temporalUiPort]) {
        if (await portInUse(port)) throw new Error(`port ${port} is in use: is another stack running? Stop it, or set TEMPORAL_ADDRESS to use that server`);
      }
      say('starting Temporal dev server…');
      devServer = await startDevServer({ port: LOCAL_STACK.temporalPort, uiPort: LOCAL_STACK.temporalUiPort, dbFilename: join(local.dataDir, 'temporal.sqlite'), uiCodecEndpoint: dataConverter ? `http://127.0.0.1:${local.apiPort}/codec` : undefined });
      stops.push(() => devServer!.stop());
      say(`Temporal:   ${devServer.address} (dev server ${devServer.executable}, data in ${join(local.dataDir, 'temporal.sqlite')})`);
      say(`Web UI:     http://127.0.0.1:${LOCAL_STACK.temporalUiPort}/namespaces/${config.temporalNamespace}/workflows`);
    }

    let databaseUrl = config.databaseUrl;
    if (!local.externalDatabase) {
      if (await portInUse(local.postgresPort)) throw new Error(`port ${local.postgresPort} is in use: is another stack running? Stop it, or set DATABASE_URL`);
      say('starting embedded PostgreSQL…');
      const postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir: join(local.dataDir, 'postgres'), port: local.postgresPort, database: LOCAL_STACK.database, user: LOCAL_STACK.postgresUser, password: LOCAL_STACK.postgresPassword });
      stops.push(() => postgres.stop());
      databaseUrl = postgres.url;
    }
    const applied = await migrate(databaseUrl, logger);
    say(`PostgreSQL: ${redactUrl(databaseUrl)}${local.externalDatabase ? ' (DATABASE_URL)' : ` (embedded, data in ${join(local.dataDir, 'postgres')})`}; migrations ${applied.length ? `applied: ${applied.join(', ')}` : 'up to date'}`);

    const pool = createPool(databaseUrl);
    stops.push(() => pool.end());
    await ensureFirstAdminKey(pool, say);
    // One tracer provider for the worker and the API of this process.
    const telemetry = await startTelemetryIfConfigured(loadTelemetryConfig('wf-engine'));
    if (telemetry) stops.push(() => telemetry.shutdown());
    say('starting worker (bundling workflows)…');
    say(`Payloads:   ${!dataConverter ? 'not encrypted' : payloadKeyFile ? `encrypted, ${payloadKeyFile.created ? 'new key generated into' : 'key in'} ${payloadKeyFile.path}` : 'encrypted with WF_PAYLOAD_KEY(S)'}`);
    say(`Secrets:    ${keyFile ? `${keyFile.created ? 'new key generated into' : 'key in'} ${keyFile.path}` : 'key from WF_SECRETS_KEY'}`);
    const { worker, connection: workerConnection, close: closeWorker } = await connectEngineWorker(config, { pool, logger, secretCipher, http: { allow: local.httpAllow }, telemetry, dataConverter });
    stops.push(closeWorker);
    say(`Worker:     task queue "${config.taskQueue}", namespace "${config.temporalNamespace}"`);
    const api = await startApi(config, pool, { host: '127.0.0.1', port: local.apiPort, logLevel: local.apiLogLevel, metricsPort: local.metricsPort, limits: local.apiLimits, secretCipher, telemetry, dataConverter, codecCorsOrigins: local.codecCorsOrigins, temporalUiUrl: local.temporalUiUrl, workerConnection, httpAllow: local.httpAllow });
    stops.push(() => api.close());
    say(`HTTP API:   ${api.url}/api/v1 (OpenAPI at /docs, /health, /metrics)`);
    say(`Console:    ${api.url}/console (sign in with an API key, such as the admin key printed when it was made)`);
    if (dataConverter) say(`Codec:      ${api.url}/codec (Web UI: sign in at ${api.url}/codec/sign-in with an admin key to see payloads decoded)`);
    if (api.metricsUrl) say(`Metrics:    ${api.metricsUrl} (every organization, no key: WF_METRICS_PORT)`);
    say('');
    say('Ready. In another terminal:');
    say('  npx wf run examples/hello.json --input \'{"n": 7}\'');
    say('  npx wf run examples/hello.json --input \'{"n": 2}\' --json');
    say('Ctrl-C stops everything.');
    // The SDK shuts the worker down on SIGINT/SIGTERM and run() resolves once it drained.
    await worker.run();
    say('stopping…');
  } finally {
    await stopAll();
  }
}

runEntryPoint('npm start', main);
