/**
 * Span attributes that name what a span is about (DESIGN §15), shared by the workflow
 * interceptors in the bundle, the activity and client interceptors and the API's request
 * spans, so a trace backend can be searched by any of them.
 */
export const TRACE_ATTRIBUTES = {
  organization: 'wf.organization.id',
  graphId: 'wf.graph.id',
  graphVersion: 'wf.graph.version',
  executionId: 'wf.execution.id',
  nodeId: 'wf.node.id',
  nodeType: 'wf.node.type',
} as const;

/**
 * The Temporal header in which a graph execution tells each activity it schedules which
 * graph it runs: the activity input names the execution and the node but not the graph.
 */
export const GRAPH_TRACE_HEADER = 'wf-trace-graph';

/** What the header carries. */
export interface GraphTraceHeader {
  organizationId: string;
  graphId: string;
  graphVersion: number;
  executionId: string;
}
