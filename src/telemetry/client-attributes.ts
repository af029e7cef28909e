/**
 * Names the execution being started on the SDK's StartWorkflow span (it runs inside it) and
 * on the API request span that started it, when there is one in the context (request-spans.ts):
 * the request itself only knows a graph reference, the start knows the stored version.
 */
import { context, trace, type Attributes } from '@opentelemetry/api';
import type { Next, WorkflowClientInterceptor, WorkflowStartInput, WorkflowStartOutput } from '@temporalio/client';
import type { GraphExecutionArgs } from '../workflows/contracts/execution';
import { GRAPH_WORKFLOW } from '../workflows/contracts/names';
import { TRACE_ATTRIBUTES } from '../workflows/contracts/trace-attributes';
import { requestSpanOf } from './request-spans';

export class ExecutionStartAttributes implements WorkflowClientInterceptor {
  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>): Promise<WorkflowStartOutput> {
    const args = input.options.args?.[0] as Partial<GraphExecutionArgs> | undefined;
    if (input.workflowType === GRAPH_WORKFLOW && args?.graph && args.organizationId) {
      const attributes: Attributes = {
        [TRACE_ATTRIBUTES.organization]: args.organizationId,
        [TRACE_ATTRIBUTES.graphId]: args.graph.id,
        [TRACE_ATTRIBUTES.graphVersion]: args.graph.version,
        [TRACE_ATTRIBUTES.executionId]: args.executionId || input.options.workflowId,
      };
      trace.getActiveSpan()?.setAttributes(attributes);
      requestSpanOf(context.active())?.setAttributes(attributes);
    }
    return next(input);
  }
}
