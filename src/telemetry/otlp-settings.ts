/** Parsing of the OTLP exporter's standard variables (read by src/config.ts, which names them in its errors). */

/** Where traces go (DESIGN §15): set only when OTEL_EXPORTER_OTLP_ENDPOINT (or its traces variant) is. */
export interface TelemetryConfig {
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces": OTLP/HTTP with JSON bodies. */
  tracesUrl: string;
  /** OTEL_EXPORTER_OTLP_HEADERS: `key=value` pairs separated by commas, values URL-decoded (e.g. an authorization header). */
  headers: Record<string, string>;
  /** OTEL_SERVICE_NAME, default the process's own name (wf-worker, wf-api, wf-engine). */
  serviceName: string;
}

/** A setting that cannot be used; the message names the variable but never echoes a value (URLs and headers carry credentials). */
export class InvalidOtlpSetting extends Error {
  override readonly name = 'InvalidOtlpSetting';
}

/** An http(s) URL, as given. */
export function otlpUrl(value: string, variable: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new InvalidOtlpSetting(`${variable} must be an http:// or https:// URL (an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318)`);
  return value;
}

/** OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry specification gives it: `key=value` pairs separated by commas, values URL-encoded. */
export function otlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (value ?? '').split(',')) {
    if (!entry.trim()) continue;
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    if (!key) throw new InvalidOtlpSetting('OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas (an entry has no key)');
    try {
      headers[key] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new InvalidOtlpSetting(`OTEL_EXPORTER_OTLP_HEADERS: the value of "${key}" is not valid URL encoding`);
    }
  }
  return headers;
}
