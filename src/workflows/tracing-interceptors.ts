/**
 * The workflow interceptors bundled when traces are on (src/telemetry; listed in the worker's
 * `interceptors.workflowModules`). The SDK's OpenTelemetry interceptors make the RunWorkflow
 * and StartActivity spans and carry the trace context to each activity in a header; ours, run
 * inside them, name the graph on those spans and pass it to activities in GRAPH_TRACE_HEADER.
 *
 * Replay safety: spans leave the sandbox through a sink, which the SDK does not call during
 * replay; a header on a scheduled activity is not among what replay compares; ours adds no
 * await, so no command moves. Histories recorded without these interceptors still replay
 * with them (test/integration/traces.test.ts replays test/histories/ with this bundle).
 */
import { trace, type Attributes } from '@opentelemetry/api';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  defaultPayloadConverter,
  workflowInfo,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { GraphExecutionArgs } from './contracts/execution';
import { GRAPH_WORKFLOW } from './contracts/names';
import { GRAPH_TRACE_HEADER, TRACE_ATTRIBUTES, type GraphTraceHeader } from './contracts/trace-attributes';

/** One per workflow run (the SDK calls `interceptors` for each), so no run sees another's graph. */
interface RunGraph {
  graph?: GraphTraceHeader;
}

function graphAttributes(graph: GraphTraceHeader): Attributes {
  return { [TRACE_ATTRIBUTES.organization]: graph.organizationId, [TRACE_ATTRIBUTES.graphId]: graph.graphId, [TRACE_ATTRIBUTES.graphVersion]: graph.graphVersion, [TRACE_ATTRIBUTES.executionId]: graph.executionId };
}

/** The node an activity runs, when its input is a node activity's (NodeActivityInput). */
function nodeAttributes(args: unknown[]): Attributes {
  const input = args[0] as { nodeId?: unknown; nodeType?: unknown } | undefined;
  return typeof input?.nodeId === 'string' ? { [TRACE_ATTRIBUTES.nodeId]: input.nodeId, [TRACE_ATTRIBUTES.nodeType]: String(input.nodeType) } : {};
}

class GraphInboundInterceptor implements WorkflowInboundCallsInterceptor {
  constructor(private readonly run: RunGraph) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = workflowInfo();
    const args = input.args[0] as Partial<GraphExecutionArgs> | undefined;
    if (info.workflowType === GRAPH_WORKFLOW && args?.graph && args.organizationId) {
      // A schedule's runs carry no execution id: theirs is the workflow id (src/workflows/contracts/execution.ts).
      this.run.graph = { organizationId: args.organizationId, graphId: args.graph.id, graphVersion: args.graph.version, executionId: args.executionId || info.workflowId };
      trace.getActiveSpan()?.setAttributes(graphAttributes(this.run.graph));
    }
    return next(input);
  }
}

class GraphOutboundInterceptor implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly run: RunGraph) {}

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return next(this.withGraph(input));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return next(this.withGraph(input));
  }

  /** Inside the SDK's StartActivity span: name the graph and node on it, and pass the graph on. */
  private withGraph<T extends ActivityInput | LocalActivityInput>(input: T): T {
    const graph = this.run.graph;
    if (!graph) return input;
    trace.getActiveSpan()?.setAttributes({ ...graphAttributes(graph), ...nodeAttributes(input.args) });
    return { ...input, headers: { ...input.headers, [GRAPH_TRACE_HEADER]: defaultPayloadConverter.toPayload(graph) } };
  }
}

export const interceptors = (): WorkflowInterceptors => {
  const run: RunGraph = {};
  // The SDK's first: the first interceptor is the outermost, so ours run inside its spans.
  return {
    inbound: [new OpenTelemetryInboundInterceptor(), new GraphInboundInterceptor(run)],
    outbound: [new OpenTelemetryOutboundInterceptor(), new GraphOutboundInterceptor(run)],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
