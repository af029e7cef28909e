/**
 * Traces (DESIGN §15): on when src/config.ts's loadTelemetryConfig finds an OTLP endpoint.
 * This module is cheap to import; the OpenTelemetry SDK loads only in startTelemetry.
 */
import type { TelemetryConfig } from './otlp-settings';
import type { Telemetry } from './telemetry';

export type { Telemetry } from './telemetry';

export { WORKFLOW_TRACING_MODULES } from './workflow-modules';

/**
 * Sets up the process's tracer provider (registered globally: the SDK's interceptors find
 * the context manager and the propagator there) exporting to `config.tracesUrl`. One per process.
 */
export async function startTelemetry(config: TelemetryConfig): Promise<Telemetry> {
  const { createTelemetry } = await import('./tracing');
  return createTelemetry(config);
}

/** startTelemetry when traces are configured, else nothing. */
export async function startTelemetryIfConfigured(config: TelemetryConfig | undefined): Promise<Telemetry | undefined> {
  return config ? startTelemetry(config) : undefined;
}
