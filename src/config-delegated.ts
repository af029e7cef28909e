/**
 * The loaders whose parsing lives in a module of its own (the secrets cipher, the Temporal
 * connection, the payload keys, OTLP traces): each reads its variables and turns that
 * module's error into a ConfigError naming them. Re-exported by src/config.ts, the one
 * place entry points load configuration from.
 */
import { text, ConfigError, type Env } from './config-values';
import { cipherFromEnv, SecretsKeyError, type SecretCipher } from './secrets/cipher';
import { InvalidOtlpSetting, otlpHeaders, otlpUrl, type TelemetryConfig } from './telemetry/otlp-settings';
import { loadTemporalConnection, TemporalSettingsError, type TemporalConnectionSettings } from './common/temporal-connection';
import { payloadKeysFrom, PayloadKeyError, type PayloadKey } from './payloads/payload-keys';

/**
 * The cipher of stored secrets (DESIGN §10): WF_SECRETS_KEY seals and opens, every key in
 * WF_SECRETS_KEY_PREVIOUS (comma-separated) opens too. Without WF_SECRETS_KEY, the key
 * `localKey` gives (`npm start` and the CLI next to it: .data/secrets.key); undefined when
 * there is neither, and secrets can then be neither stored nor read. A key that is not the
 * base64 of 32 bytes is a ConfigError naming the variable (or file); a key is never echoed.
 */
export function loadSecretsCipher(env: Env = process.env, localKey?: () => string | undefined): SecretCipher | undefined {
  try {
    const current = text(env, 'WF_SECRETS_KEY') ?? localKey?.();
    if (current === undefined) return undefined;
    return cipherFromEnv({ WF_SECRETS_KEY: current, WF_SECRETS_KEY_PREVIOUS: env.WF_SECRETS_KEY_PREVIOUS });
  } catch (error) {
    if (error instanceof SecretsKeyError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * The Temporal connection by Temporal's conventions (src/common/temporal-connection.ts):
 * the TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) under the TEMPORAL_* variables.
 */
export function loadTemporalSettings(env: Env = process.env): TemporalConnectionSettings {
  try {
    return loadTemporalConnection(env);
  } catch (error) {
    if (error instanceof TemporalSettingsError) throw new ConfigError(error.message);
    throw error;
  }
}

/** The payload codec's keys (DESIGN §15, src/payloads/payload-keys.ts); undefined when none: plain payloads. */
export function loadPayloadKeys(env: Env = process.env, localKey?: () => string | undefined): PayloadKey[] | undefined {
  try {
    return payloadKeysFrom({ single: text(env, 'WF_PAYLOAD_KEY'), list: text(env, 'WF_PAYLOAD_KEYS') }, localKey);
  } catch (error) {
    throw error instanceof PayloadKeyError ? new ConfigError(error.message) : error;
  }
}

export type { TelemetryConfig };

/** Traces are off (undefined) unless an OTLP endpoint is set; `serviceName` names the process when OTEL_SERVICE_NAME does not. */
export function loadTelemetryConfig(serviceName: string, env: Env = process.env): TelemetryConfig | undefined {
  const tracesEndpoint = text(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (tracesEndpoint === undefined && endpoint === undefined) return undefined;
  try {
    const tracesUrl = tracesEndpoint !== undefined ? otlpUrl(tracesEndpoint, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') : `${otlpUrl(endpoint!, 'OTEL_EXPORTER_OTLP_ENDPOINT').replace(/\/+$/, '')}/v1/traces`;
    return { tracesUrl, headers: otlpHeaders(text(env, 'OTEL_EXPORTER_OTLP_HEADERS')), serviceName: text(env, 'OTEL_SERVICE_NAME') ?? serviceName };
  } catch (error) {
    if (error instanceof InvalidOtlpSetting) throw new ConfigError(error.message);
    throw error;
  }
}
