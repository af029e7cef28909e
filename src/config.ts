/**
 * Configuration from the environment, read once by each entry point and passed down.
 * Nothing reads process.env at import time.
 */
import { DEFAULT_ORGANIZATION, TASK_QUEUE } from './workflows/contracts/names';

export const LOCAL_STACK = {
  temporalPort: 7233,
  temporalUiPort: 8233,
  postgresPort: 5433,
  postgresUser: 'postgres',
  postgresPassword: 'postgres',
  database: 'wf',
  apiPort: 3020,
} as const;

export const DEFAULT_DATABASE_URL = `postgres://${LOCAL_STACK.postgresUser}:${LOCAL_STACK.postgresPassword}@127.0.0.1:${LOCAL_STACK.postgresPort}/${LOCAL_STACK.database}`;

export interface EngineConfig {
  /** TEMPORAL_ADDRESS, default 127.0.0.1:7233. */
  temporalAddress: string;
  /** TEMPORAL_NAMESPACE, default "default". */
  temporalNamespace: string;
  /** DATABASE_URL, default the local stack's embedded Postgres. */
  databaseUrl: string;
  /** WF_TASK_QUEUE, default "wf-engine". */
  taskQueue: string;
  /** WF_ORG, default "default". */
  organizationId: string;
}

/** Where `npm start` keeps its data and which ports it takes (DESIGN §8). */
export interface LocalStackConfig {
  /** WF_DATA_DIR, default `.data/` in the project. */
  dataDir: string;
  /** WF_POSTGRES_PORT, default 5433: the embedded Postgres, when DATABASE_URL is not set. */
  postgresPort: number;
  /** WF_API_PORT, default 3020. */
  apiPort: number;
  /** TEMPORAL_ADDRESS was given: use that server, start no dev server. */
  externalTemporal: boolean;
  /** DATABASE_URL was given: use that database, start no embedded Postgres. */
  externalDatabase: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || `127.0.0.1:${LOCAL_STACK.temporalPort}`,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    taskQueue: env.WF_TASK_QUEUE || TASK_QUEUE,
    organizationId: env.WF_ORG || DEFAULT_ORGANIZATION,
  };
}

export function loadLocalStackConfig(defaultDataDir: string, env: NodeJS.ProcessEnv = process.env): LocalStackConfig {
  return {
    dataDir: env.WF_DATA_DIR || defaultDataDir,
    postgresPort: port(env, 'WF_POSTGRES_PORT', LOCAL_STACK.postgresPort),
    apiPort: port(env, 'WF_API_PORT', LOCAL_STACK.apiPort),
    externalTemporal: Boolean(env.TEMPORAL_ADDRESS),
    externalDatabase: Boolean(env.DATABASE_URL),
  };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a TCP port (1-65535), got "${text}"`);
  return value;
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
