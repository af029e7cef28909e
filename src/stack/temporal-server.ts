/**
 * Starts a Temporal CLI dev server with our search attributes registered, for `npm start`,
 * tests and benchmarks. The server process is owned by the returned handle: `stop()` ends it.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeKeys } from '../common/workflow-tags';
import { findTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  ip?: string;
  port?: number;
  /** Web UI port; no UI when omitted. */
  uiPort?: number;
  /** SQLite file for persistence; in memory when omitted. */
  dbFilename?: string;
  /** Dynamic config values; defaults to DEV_SERVER_DYNAMIC_CONFIG. */
  dynamicConfig?: Readonly<Record<string, number | string | boolean>>;
  /** The Web UI's remote codec endpoint (`npm start`: the API's /codec), so the UI shows encrypted payloads decoded. */
  uiCodecEndpoint?: string;
}

/**
 * The dev server has one history shard that reads its task queues at most 20 times a second
 * by default, so every workflow and activity task dispatch waits up to ~50 ms once the burst
 * is spent: a 10-step chain then takes ~550 ms instead of ~200 ms. A production cluster has
 * many shards, each with its own budget; the local stack, tests and benchmarks lift the limit.
 *
 * The timer queue also never fires a task sooner than `timerProcessorMaxTimeShift` (1 s by
 * default) after it was created, so a 200 ms retry interval or delay waits a full second, and
 * a worker killed mid-activity costs its heartbeat timeout plus that second before the retry
 * starts elsewhere (RELIABILITY.md, recovery time). 100 ms lets short timers fire as written.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, number | string>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxPollRPS': 1000,
  'history.visibilityProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxTimeShift': '100ms',
};

export interface DevServer {
  address: string;
  uiUrl?: string;
  executable: string;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const executable = findTemporalCli();
  const ip = options.ip ?? '127.0.0.1';
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: executable.type === 'existing-path' ? { type: 'existing-path', path: executable.path } : { type: 'cached-download', version: executable.version },
      ip,
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      searchAttributes: Object.values(searchAttributeKeys),
      extraArgs: [
        '--log-level',
        'error',
        ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
        ...Object.entries(options.dynamicConfig ?? DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
      ],
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort !== undefined ? `http://${ip}:${options.uiPort}` : undefined,
    executable: executable.type === 'existing-path' ? executable.path : `SDK download ${executable.version}`,
    stop: () => env.teardown(),
  };
}
