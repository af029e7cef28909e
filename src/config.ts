/**
 * Configuration from the environment: the only module that reads it (with config-delegated.ts,
 * whose loaders it re-exports). Each entry point (the `wf` CLI, `npm run worker`, `npm run api`,
 * `npm start`) loads what it needs once and passes the values down. Nothing reads process.env at import time; every loader takes the
 * environment as a parameter (process.env when omitted) and throws a ConfigError that names
 * the variable and what it accepts.
 */
import { delimiter } from 'node:path';
import { ConfigError, databaseUrl, loginName, optionalPort, port, positiveInteger, text, type Env } from './config-values';
import { DEFAULT_ORGANIZATION, TASK_QUEUE } from './workflows/contracts/names';
import { InvalidAllowEntry, LOCAL_DEVELOPMENT_ALLOW, parseEgressAllow, type EgressAllowList } from './common/egress-allow';
import type { TemporalSecurity } from './common/temporal-connection';
import { loadTemporalSettings } from './config-delegated';
import { DEFAULT_INLINE_OUTPUT_BYTES } from './payload-refs/spill';
import { parseOrigin } from './payloads/payload-keys';

export { ConfigError, redactUrl } from './config-values';
export { loadPayloadKeys, loadSecretsCipher, loadTelemetryConfig, loadTemporalSettings, type TelemetryConfig } from './config-delegated';

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

/** pino's levels (src/common/create-logger.ts, Fastify's request logs). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Limits of the HTTP API (`npm run api`, `npm start`); tests build the API with smaller ones. */
export interface ApiLimits {
  /** WF_RATE_LIMIT_PER_MINUTE: requests per minute per API key, and separately per client address. */
  requestsPerMinute: number;
  /** WF_AUTH_FAILURES_PER_MINUTE: refused API keys (401) per minute per client address; past it, the address gets 429 until the minute ends. */
  authFailuresPerMinute: number;
  /** WF_SSE_MAX_SECONDS: how long one event stream stays open before the server asks the client to reconnect. */
  sseMaxSeconds: number;
}

/**
 * Generous for one client hammering the API (the test suite sends ~9,000 requests a minute
 * from one address with one key); low for guessed keys (the tenancy test makes ~25 refusals).
 */
export const DEFAULT_API_LIMITS: ApiLimits = { requestsPerMinute: 20_000, authFailuresPerMinute: 50, sseMaxSeconds: 15 * 60 };

/** Where Temporal and Postgres are: every process that talks to them. */
export interface EngineConfig {
  /** TEMPORAL_ADDRESS (or the TEMPORAL_PROFILE's address), default 127.0.0.1:7233. */
  temporalAddress: string;
  /** TEMPORAL_NAMESPACE (or the profile's namespace), default "default". */
  temporalNamespace: string;
  /** TEMPORAL_TLS*, TEMPORAL_API_KEY (or the profile's): how to connect; absent means plaintext (DESIGN §15). */
  temporalSecurity?: TemporalSecurity;
  /** DATABASE_URL, default the local stack's embedded Postgres. */
  databaseUrl: string;
  /** WF_INLINE_OUTPUT_BYTES, default 256 KiB: node outputs over it are stored in Postgres and travel as references. */
  inlineOutputBytes?: number;
  /** WF_TASK_QUEUE, default "wf-engine". */
  taskQueue: string;
  /** WF_ORG, default "default". */
  organizationId: string;
}

/** `npm run worker`. */
export interface WorkerConfig extends EngineConfig {
  /** LOG_LEVEL, default "info": the worker's JSON logs on stderr. */
  logLevel: LogLevel;
  /** WF_HTTP_ALLOW, default none: hosts and CIDRs the http node may reach although they are not public. */
  httpAllow: EgressAllowList;
}

/** `npm run api`. */
export interface ApiConfig extends EngineConfig {
  /** WF_API_HOST, default 127.0.0.1 (0.0.0.0 to listen on every interface). */
  apiHost: string;
  /** WF_API_PORT, default 3020. */
  apiPort: number;
  /** WF_METRICS_PORT, unset by default: the Prometheus listener on 127.0.0.1 (every organization, no key); none when unset. */
  metricsPort?: number;
  /** LOG_LEVEL, default "info": one JSON line per request on stderr. */
  logLevel: LogLevel;
  /** WF_RATE_LIMIT_PER_MINUTE, WF_AUTH_FAILURES_PER_MINUTE, WF_SSE_MAX_SECONDS. */
  limits: ApiLimits;
  codecCorsOrigins: string[]; // WF_CODEC_CORS_ORIGIN, default the local Web UI: the origins whose pages may call /codec
  /** WF_TEMPORAL_UI_URL, default http://localhost:8233: where the console links an execution in the Temporal Web UI. */
  temporalUiUrl: string;
  /** WF_HTTP_ALLOW, as the worker reads it: a provider embedder embedding a search query obeys it too. */
  httpAllow: EgressAllowList;
}

/** Where `npm start` keeps its data and which ports it takes (DESIGN §8). */
export interface LocalStackConfig {
  /** WF_DATA_DIR, default `.data/` in the project. */
  dataDir: string;
  /** WF_POSTGRES_PORT, default 5433: the embedded Postgres, when DATABASE_URL is not set. */
  postgresPort: number;
  /** WF_API_PORT, default 3020. */
  apiPort: number;
  /** WF_METRICS_PORT, unset by default: as for `npm run api`. */
  metricsPort?: number;
  /** TEMPORAL_ADDRESS (or a profile's address) was given: use that server, start no dev server. */
  externalTemporal: boolean;
  /** DATABASE_URL was given: use that database, start no embedded Postgres. */
  externalDatabase: boolean;
  /** LOG_LEVEL, default "info": the stack's and its worker's JSON logs on stderr. */
  logLevel: LogLevel;
  /** LOG_LEVEL, default "warn": the HTTP API's request logs (quiet on a terminal). */
  apiLogLevel: LogLevel;
  /** As for `npm run api`. */
  apiLimits: ApiLimits;
  /** WF_HTTP_ALLOW plus the loopback addresses (127.0.0.0/8, ::1), for local development. */
  httpAllow: EgressAllowList;
  codecCorsOrigins: string[]; // as for `npm run api`
  /** As for `npm run api`. */
  temporalUiUrl: string;
}

/** What only the `wf` CLI reads. */
export interface CliConfig {
  /** WF_ACTOR, default the login name: who the dead-letter audit records. */
  actor: string;
}

/** How to find the Temporal CLI for a dev server (DESIGN §8). */
export interface TemporalCliConfig {
  /** TEMPORAL_CLI: a path to the binary, used before anything else. */
  explicitPath?: string;
  /** PATH, split: searched for `temporal` next. */
  searchPath: string[];
}

export function loadConfig(env: Env = process.env): EngineConfig {
  const temporal = loadTemporalSettings(env);
  return {
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    ...(Object.keys(temporal.security).length > 0 ? { temporalSecurity: temporal.security } : {}),
    databaseUrl: databaseUrl(env) ?? DEFAULT_DATABASE_URL,
    inlineOutputBytes: inlineOutputBytes(env),
    taskQueue: text(env, 'WF_TASK_QUEUE') ?? TASK_QUEUE,
    organizationId: text(env, 'WF_ORG') ?? DEFAULT_ORGANIZATION,
  };
}

/** Temporal refuses a payload over 2 MiB; an inline limit must stay well below, and above a few bytes. */
const INLINE_OUTPUT_BOUNDS = { min: 1024, max: 1024 * 1024 };

function inlineOutputBytes(env: Env): number {
  const bytes = positiveInteger(env, 'WF_INLINE_OUTPUT_BYTES', DEFAULT_INLINE_OUTPUT_BYTES);
  if (bytes < INLINE_OUTPUT_BOUNDS.min || bytes > INLINE_OUTPUT_BOUNDS.max) {
    throw new ConfigError(`WF_INLINE_OUTPUT_BYTES must be between ${INLINE_OUTPUT_BOUNDS.min} and ${INLINE_OUTPUT_BOUNDS.max} (1 MiB: Temporal refuses payloads over 2 MiB), got "${bytes}"`);
  }
  return bytes;
}

export function loadWorkerConfig(env: Env = process.env): WorkerConfig {
  return { ...loadConfig(env), logLevel: logLevel(env, 'info'), httpAllow: httpAllow(env) };
}

export function loadApiConfig(env: Env = process.env): ApiConfig {
  return {
    ...loadConfig(env),
    apiHost: text(env, 'WF_API_HOST') ?? '127.0.0.1',
    apiPort: port(env, 'WF_API_PORT', LOCAL_STACK.apiPort),
    metricsPort: optionalPort(env, 'WF_METRICS_PORT'),
    logLevel: logLevel(env, 'info'),
    limits: loadApiLimits(env),
    codecCorsOrigins: codecCorsOrigins(env),
    temporalUiUrl: temporalUiUrl(env),
    httpAllow: httpAllow(env),
  };
}

export function loadApiLimits(env: Env = process.env): ApiLimits {
  return {
    requestsPerMinute: positiveInteger(env, 'WF_RATE_LIMIT_PER_MINUTE', DEFAULT_API_LIMITS.requestsPerMinute),
    authFailuresPerMinute: positiveInteger(env, 'WF_AUTH_FAILURES_PER_MINUTE', DEFAULT_API_LIMITS.authFailuresPerMinute),
    sseMaxSeconds: positiveInteger(env, 'WF_SSE_MAX_SECONDS', DEFAULT_API_LIMITS.sseMaxSeconds),
  };
}

export function loadLocalStackConfig(defaultDataDir: string, env: Env = process.env): LocalStackConfig {
  return {
    dataDir: text(env, 'WF_DATA_DIR') ?? defaultDataDir,
    postgresPort: port(env, 'WF_POSTGRES_PORT', LOCAL_STACK.postgresPort),
    apiPort: port(env, 'WF_API_PORT', LOCAL_STACK.apiPort),
    metricsPort: optionalPort(env, 'WF_METRICS_PORT'),
    externalTemporal: loadTemporalSettings(env).addressGiven,
    externalDatabase: text(env, 'DATABASE_URL') !== undefined,
    logLevel: logLevel(env, 'info'),
    apiLogLevel: logLevel(env, 'warn'),
    apiLimits: loadApiLimits(env),
    httpAllow: httpAllow(env, LOCAL_DEVELOPMENT_ALLOW),
    codecCorsOrigins: codecCorsOrigins(env),
    temporalUiUrl: temporalUiUrl(env),
  };
}

export function loadCliConfig(env: Env = process.env): CliConfig {
  return { actor: text(env, 'WF_ACTOR') ?? loginName() };
}

export function loadTemporalCliConfig(env: Env = process.env): TemporalCliConfig {
  return { explicitPath: text(env, 'TEMPORAL_CLI'), searchPath: (env.PATH ?? '').split(delimiter).filter(Boolean) };
}

/**
 * WF_CODEC_CORS_ORIGIN: comma-separated origins. By default the local Web UI under both of
 * its names: a browser treats localhost and 127.0.0.1 as different origins (and sites).
 */
function codecCorsOrigins(env: Env): string[] {
  const value = text(env, 'WF_CODEC_CORS_ORIGIN') ?? `http://localhost:${LOCAL_STACK.temporalUiPort},http://127.0.0.1:${LOCAL_STACK.temporalUiPort}`;
  return value.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const origin = parseOrigin(entry);
    if (origin) return origin;
    throw new ConfigError(`WF_CODEC_CORS_ORIGIN must list origins like https://ui.example.com (scheme, host, optional port), got "${entry}"`);
  });
}

/** WF_TEMPORAL_UI_URL: an http(s) URL, kept without a trailing slash (the console appends paths). */
function temporalUiUrl(env: Env): string {
  const value = text(env, 'WF_TEMPORAL_UI_URL') ?? `http://localhost:${LOCAL_STACK.temporalUiPort}`;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new ConfigError(`WF_TEMPORAL_UI_URL must be the Temporal Web UI's http(s) address, like http://localhost:8233, got "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** WF_HTTP_ALLOW: comma-separated host names, addresses and CIDR ranges, after `always`. */
function httpAllow(env: Env, always: readonly string[] = []): EgressAllowList {
  const entries = (text(env, 'WF_HTTP_ALLOW') ?? '').split(',');
  try {
    return parseEgressAllow([...always, ...entries]);
  } catch (error) {
    if (error instanceof InvalidAllowEntry) throw new ConfigError(`WF_HTTP_ALLOW: ${error.message} (entries are separated by commas)`);
    throw error;
  }
}

function logLevel(env: Env, fallback: LogLevel): LogLevel {
  const value = text(env, 'LOG_LEVEL')?.toLowerCase();
  if (value === undefined) return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return value as LogLevel;
}
