/**
 * The OpenTelemetry set-up behind startTelemetry: a Node tracer provider with a batching
 * OTLP/HTTP (JSON) exporter, the SDK's Temporal interceptors with our attributes beside
 * them, and the API's request spans. Loaded only when traces are on.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/worker';
import { NodeActivityAttributes } from './activity-attributes';
import { ExecutionStartAttributes } from './client-attributes';
import type { TelemetryConfig } from './otlp-settings';
import { registerRequestSpans } from './request-spans';
import type { Telemetry } from './telemetry';
import { WORKFLOW_TRACING_MODULES } from './workflow-modules';

const TRACER_NAME = 'wf-engine';

export function createTelemetry(config: TelemetryConfig): Telemetry {
  const resource = new Resource({ 'service.name': config.serviceName });
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
  const processor = new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Global: the context manager (AsyncLocalStorage) and the W3C propagator the interceptors use.
  provider.register();
  const tracer = provider.getTracer(TRACER_NAME);
  let shutdown: Promise<void> | undefined;
  return {
    // The SDK's first (outermost): ours then run inside its StartWorkflow span.
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor({ tracer }), new ExecutionStartAttributes()],
    workerOptions: {
      interceptors: {
        workflowModules: WORKFLOW_TRACING_MODULES,
        activity: [
          (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
          () => ({ inbound: new NodeActivityAttributes() }),
        ],
      },
      // Workflow spans are made in the sandbox and handed to the same processor here.
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    instrumentApi: (app) => registerRequestSpans(app, tracer),
    flush: () => provider.forceFlush(),
    shutdown: () => (shutdown ??= provider.shutdown()),
  };
}
