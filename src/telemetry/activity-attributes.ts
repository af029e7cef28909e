/**
 * Names the execution, node and graph on the SDK's RunActivity span (it runs inside it): the
 * node from the activity's input (NodeActivityInput), the graph from the header the workflow
 * interceptors put on every activity they schedule (src/workflows/tracing-interceptors.ts).
 */
import { trace, type Attributes } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { GRAPH_TRACE_HEADER, TRACE_ATTRIBUTES, type GraphTraceHeader } from '../workflows/contracts/trace-attributes';

export class NodeActivityAttributes implements ActivityInboundCallsInterceptor {
  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    trace.getActiveSpan()?.setAttributes(activityAttributes(input));
    return next(input);
  }
}

export function activityAttributes(input: Pick<ActivityExecuteInput, 'args' | 'headers'>): Attributes {
  const attributes: Attributes = {};
  const header = input.headers[GRAPH_TRACE_HEADER];
  if (header) {
    const graph = defaultPayloadConverter.fromPayload<GraphTraceHeader>(header);
    attributes[TRACE_ATTRIBUTES.organization] = graph.organizationId;
    attributes[TRACE_ATTRIBUTES.graphId] = graph.graphId;
    attributes[TRACE_ATTRIBUTES.graphVersion] = graph.graphVersion;
    attributes[TRACE_ATTRIBUTES.executionId] = graph.executionId;
  }
  // The node's own input names it too, also when an activity was scheduled without the header.
  const node = input.args[0] as { executionId?: unknown; organizationId?: unknown; nodeId?: unknown; nodeType?: unknown } | undefined;
  if (typeof node?.nodeId === 'string') {
    attributes[TRACE_ATTRIBUTES.nodeId] = node.nodeId;
    if (typeof node.nodeType === 'string') attributes[TRACE_ATTRIBUTES.nodeType] = node.nodeType;
    if (typeof node.executionId === 'string') attributes[TRACE_ATTRIBUTES.executionId] = node.executionId;
    if (typeof node.organizationId === 'string') attributes[TRACE_ATTRIBUTES.organization] = node.organizationId;
  }
  return attributes;
}
