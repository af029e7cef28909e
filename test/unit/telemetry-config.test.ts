/** loadTelemetryConfig: traces are off without an endpoint; the standard OTLP variables otherwise. */
import { expect, test } from 'vitest';
import { ConfigError, loadTelemetryConfig } from '../../src/config';

test('off unless an OTLP endpoint is set', () => {
  expect(loadTelemetryConfig('wf-api', {})).toBeUndefined();
  expect(loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
});

test('the endpoint gets /v1/traces, the traces endpoint is used as given, the service name defaults to the process', () => {
  expect(loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', headers: {}, serviceName: 'wf-api' });
  expect(loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces', OTEL_SERVICE_NAME: 'engine-eu' })).toMatchObject({ tracesUrl: 'https://b/traces', serviceName: 'engine-eu' });
});

test('OTEL_EXPORTER_OTLP_HEADERS: comma-separated key=value pairs, URL-decoded', () => {
  const config = loadTelemetryConfig('wf-worker', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-tenant = eu ,' });
  expect(config?.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'eu' });
});

test('bad values are ConfigErrors naming the variable, never echoing the value', () => {
  expect(() => loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318-secret' })).toThrow(ConfigError);
  expect(() => loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://secret@c' })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http/);
  expect(() => loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://secret@c' })).not.toThrow(/secret/);
  expect(() => loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: '=token123' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS must be key=value/);
  expect(() => loadTelemetryConfig('wf-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: 'k=%E0%A4%A' })).toThrow(/"k" is not valid URL encoding/);
});
