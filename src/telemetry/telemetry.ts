/**
 * What a process gets when traces are on (DESIGN §15). Only types here: the OpenTelemetry
 * SDK itself is loaded by startTelemetry (src/telemetry/index.ts), so a process without
 * OTEL_EXPORTER_OTLP_ENDPOINT never loads it.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';

export interface Telemetry {
  /** For `new Client({ interceptors: { workflow } })`: a start carries the caller's trace context to the workflow. */
  readonly clientInterceptors: WorkflowClientInterceptor[];
  /**
   * For Worker.create: the activity interceptors, the workflow interceptors module (bundled
   * when the worker bundles its workflows; a prebuilt bundle must have been built with
   * WORKFLOW_TRACING_MODULES) and the sink through which workflow spans leave the sandbox.
   */
  readonly workerOptions: Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  /** One span per HTTP request, the trace every execution it starts joins. */
  instrumentApi(app: FastifyInstance): void;
  /** Sends every finished span now. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting; at process stop. */
  shutdown(): Promise<void>;
}
