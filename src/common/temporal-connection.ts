/**
 * Where Temporal is and how to talk to it, by Temporal's own conventions (DESIGN §15): the
 * `@temporalio/envconfig` loader reads the TOML profile the `temporal` CLI reads
 * (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) and lets TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY and TEMPORAL_TLS* override it. Every process (worker, API, client SDK,
 * `wf`, `npm start`) connects with what this module gives: src/config.ts loads it from the
 * environment once and passes it down. Messages name settings, never their values.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionOptions, TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** How to authenticate and encrypt; all absent means plaintext without credentials (the local dev server). */
export interface TemporalSecurity {
  /** TLS settings (CA, server name, client pair); `true` means TLS with the system's CAs, `false` TLS off even with an API key (TEMPORAL_TLS=false). */
  tls?: TLSConfig | boolean;
  /** Sent as `authorization: Bearer <key>` on every call. */
  apiKey?: string;
  /** Extra gRPC headers from the profile's grpc_meta or TEMPORAL_GRPC_META_*. */
  metadata?: Record<string, string>;
}

export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  security: TemporalSecurity;
  /** The address came from TEMPORAL_ADDRESS or a profile rather than the default: `npm start` then starts no dev server. */
  addressGiven: boolean;
}

/** What a process needs to connect: the address and, when not plaintext, its security. */
export interface TemporalTarget {
  temporalAddress: string;
  temporalSecurity?: TemporalSecurity;
}

/** A setting that cannot work; the message names it and what to do. */
export class TemporalSettingsError extends Error {
  override readonly name = 'TemporalSettingsError';
}

type Env = Record<string, string | undefined>;

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** The connection settings from the profile (if any) and the environment. */
export function loadTemporalConnection(env: Env): TemporalConnectionSettings {
  const cleaned = cleanEnv(env);
  checkConfigFile(cleaned);
  checkTlsSwitch(cleaned);
  const profile = loadProfile(cleaned);
  checkTlsFiles(profile);
  let options: ReturnType<typeof toClientOptions>;
  try {
    options = toClientOptions(profile);
  } catch (error) {
    throw new TemporalSettingsError(`cannot read the Temporal TLS settings: ${errorText(error)}`);
  }
  const { tls, apiKey } = options.connectionOptions;
  const metadata = profile.grpcMeta;
  const security: TemporalSecurity = {};
  if (typeof tls === 'boolean' || (typeof tls === 'object' && tls !== null)) security.tls = tls;
  if (typeof apiKey === 'string' && apiKey) security.apiKey = apiKey;
  if (metadata && Object.keys(metadata).length > 0) security.metadata = { ...metadata };
  return {
    address: profile.address?.trim() || DEFAULT_TEMPORAL_ADDRESS,
    namespace: profile.namespace?.trim() || DEFAULT_TEMPORAL_NAMESPACE,
    security,
    addressGiven: Boolean(profile.address?.trim()),
  };
}

/** Options for `Connection.connect` (@temporalio/client). */
export function clientConnectionOptions(target: TemporalTarget): ConnectionOptions {
  return { address: target.temporalAddress, ...securityOptions(target.temporalSecurity) };
}

/** Options for `NativeConnection.connect` (@temporalio/worker). */
export function nativeConnectionOptions(target: TemporalTarget): NativeConnectionOptions {
  return { address: target.temporalAddress, ...securityOptions(target.temporalSecurity) };
}

function securityOptions(security: TemporalSecurity | undefined): TemporalSecurity {
  if (!security) return {};
  return {
    ...(security.tls !== undefined ? { tls: security.tls } : {}),
    ...(security.apiKey ? { apiKey: security.apiKey } : {}),
    ...(security.metadata ? { metadata: security.metadata } : {}),
  };
}

/**
 * Unset and empty both mean "not given", as everywhere in src/config.ts (envconfig would
 * take an empty TEMPORAL_ADDRESS as the address). An empty TEMPORAL_GRPC_META_* keeps its
 * envconfig meaning: remove that header from the profile.
 */
function cleanEnv(env: Env): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed || name.startsWith('TEMPORAL_GRPC_META_')) cleaned[name] = trimmed;
  }
  return cleaned;
}

/** envconfig silently ignores a missing TEMPORAL_CONFIG_FILE; a path that was given on purpose should exist. */
function checkConfigFile(env: Record<string, string>): void {
  const path = env.TEMPORAL_CONFIG_FILE;
  if (path !== undefined && !existsSync(path)) throw new TemporalSettingsError(`TEMPORAL_CONFIG_FILE: there is no file at ${path}`);
}

/** envconfig reads anything but "true"/"1" as "off"; a typo should not quietly turn TLS off. */
function checkTlsSwitch(env: Record<string, string>): void {
  const value = env.TEMPORAL_TLS;
  if (value !== undefined && !(value.toLowerCase() in BOOLEAN_WORDS)) throw new TemporalSettingsError(`TEMPORAL_TLS must be true, false, 1 or 0, got "${value}"`);
  if (value !== undefined) env.TEMPORAL_TLS = String(BOOLEAN_WORDS[value.toLowerCase()]);
}

function loadProfile(env: Record<string, string>): ClientConfigProfile {
  const file = env.TEMPORAL_CONFIG_FILE ?? 'the Temporal config file';
  try {
    return loadClientConfigProfile({ overrideEnvVars: env });
  } catch (error) {
    const message = errorText(error);
    const missing = /^Profile '(.*)' not found/.exec(message);
    if (missing) throw new TemporalSettingsError(`TEMPORAL_PROFILE: there is no profile "${missing[1]}" in ${file}`);
    // smol-toml's message quotes the offending line, which may hold an API key: give its position only.
    const position = error as { line?: unknown; column?: unknown };
    if (typeof position.line === 'number') throw new TemporalSettingsError(`${file} is not valid TOML (line ${position.line}, column ${String(position.column)})`);
    throw new TemporalSettingsError(`${file}: ${message.replace(/_path and (\w+)_data/, '_path and $1_data (TEMPORAL_TLS_*_PATH and _DATA)')}`);
  }
}

const TLS_FILES = [
  ['serverCACert', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'server_ca_cert_path'],
  ['clientCert', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'client_cert_path'],
  ['clientKey', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'client_key_path'],
] as const;

/** Each TLS file readable, and a client certificate only with its key (envconfig would drop a lone one silently). */
function checkTlsFiles(profile: ClientConfigProfile): void {
  const tls = profile.tls;
  if (!tls) return;
  for (const [field, variable, tomlKey] of TLS_FILES) {
    const source: ConfigDataSource | undefined = tls[field];
    if (!source || !('path' in source)) continue;
    try {
      readFileSync(source.path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new TemporalSettingsError(`${variable} (or tls.${tomlKey} in the profile): cannot read ${source.path}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
  if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    throw new TemporalSettingsError('mutual TLS needs both a client certificate and its key: set TEMPORAL_TLS_CLIENT_CERT_PATH|DATA together with TEMPORAL_TLS_CLIENT_KEY_PATH|DATA');
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
