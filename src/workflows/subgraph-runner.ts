/**
 * A `subgraph` node (DESIGN §11): the pinned version of another stored graph runs as a child
 * workflow, a child execution of its own (id `<parentExecutionId>/<nodeId>`) that inherits the
 * organization, the deadline instant and cancellation. Its output is the node's output; its
 * failure, whatever ended it, fails the node with SubgraphFailed and the child's error inside.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  ParentClosePolicy,
  TerminatedFailure,
  TimeoutFailure,
  type ChildWorkflowOptions,
} from '@temporalio/workflow';
import { workflowTags } from '../common/workflow-tags';
import { workflowTaskTimeoutMs } from '../common/workflow-task-timeout';
import type { GraphExecutionArgs, GraphExecutionResult } from './contracts/execution';
import { childExecutionId } from './contracts/names';
import { evaluateExpression } from './graph/expressions';
import { workflowNodeError, type NodeOutcome } from './graph/run-state';
import type { GraphDocument, GraphNode, Json, NodeError } from './graph/types';
import { validateInput } from './graph/validate';

/** Subgraphs nest at most this deep: indirect recursion (a → b → a) ends here at run time. */
export const MAX_SUBGRAPH_DEPTH = 10;

/** The parent execution a subgraph node runs in. */
export interface SubgraphParent {
  executionId: string;
  organizationId: string;
  /** The parent's own depth: 0 for a top-level execution. */
  depth: number;
  /** The parent's deadline instant (ISO), handed down to the child. */
  deadlineAt?: string;
  /** The version pinned when the parent started, for a graph named without one. */
  pinnedVersion(graphId: string): number | undefined;
}

/** What running a subgraph may ask of Temporal (a part of NodeEffects). */
export interface SubgraphEffects {
  /** The stored document of a graph version, or null when there is none. */
  loadGraph(organizationId: string, graphId: string, version: number): Promise<GraphDocument | null>;
  /** Starts the child workflow and waits for its result. */
  child(args: GraphExecutionArgs, options: ChildWorkflowOptions): Promise<GraphExecutionResult>;
  /** Whether the node's own scope was cancelled (by the loop), as opposed to the child from outside. */
  nodeCancelled(): boolean;
}

export interface SubgraphRequest {
  graphId: string;
  version?: number;
  input: Json;
}

const refused = (node: GraphNode, type: string, message: string): NodeOutcome => ({ ok: false, error: workflowNodeError(node.id, type, message) });

export async function runSubgraph(node: GraphNode, request: SubgraphRequest, parent: SubgraphParent, effects: SubgraphEffects): Promise<NodeOutcome> {
  const depth = parent.depth + 1;
  if (depth > MAX_SUBGRAPH_DEPTH) {
    return refused(node, 'SubgraphDepthExceeded', `subgraph "${request.graphId}" would nest ${depth} levels deep, over the limit of ${MAX_SUBGRAPH_DEPTH} (is the graph recursive?)`);
  }
  const version = request.version ?? parent.pinnedVersion(request.graphId);
  const graph = version === undefined ? null : await effects.loadGraph(parent.organizationId, request.graphId, version);
  if (!graph) {
    const which = version === undefined ? `graph "${request.graphId}" had no stored version when the execution started` : `graph "${request.graphId}" has no version ${version}`;
    return refused(node, 'SubgraphNotFound', `subgraph of node "${node.id}": ${which} in organization "${parent.organizationId}"`);
  }
  const inputProblems = validateInput(request.input);
  if (inputProblems.length > 0) return refused(node, 'InvalidConfig', `subgraph input of node "${node.id}": ${inputProblems.map((p) => p.message).join('; ')}`);

  const executionId = childExecutionId(parent.executionId, node.id);
  const args: GraphExecutionArgs = {
    executionId,
    organizationId: parent.organizationId,
    graph,
    input: request.input,
    parentExecutionId: parent.executionId,
    subgraphDepth: depth,
    ...(parent.deadlineAt ? { deadlineAt: parent.deadlineAt } : {}),
  };
  if (graph.settings?.concurrency) {
    const key = concurrencyKey(graph, args);
    if (!key.ok) return refused(node, 'ExpressionError', `subgraph "${graph.id}" concurrency key: ${key.message}`);
    args.concurrencyKey = key.value;
  }
  const options: ChildWorkflowOptions = {
    workflowId: executionId,
    // Cancelling the node (the parent failed, timed out or was cancelled) cancels the child
    // and waits until it has ended; a parent that ends any other way takes the child along.
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    workflowTaskTimeout: workflowTaskTimeoutMs(graph.nodes.length),
    ...workflowTags(parent.organizationId, graph, `${graph.id} v${graph.version}: subgraph ${node.id} of ${parent.executionId}`),
  };
  // Attempts count activity tries; a child workflow is not retried, like a timer or a wait: 0.
  try {
    const result = await effects.child(args, options);
    return { ok: true, output: result.output, attempts: 0, mirrored: false };
  } catch (failure) {
    // The node's own cancellation passes through (the loop already marked it cancelled); a
    // child cancelled from outside is a failure of the node like any other end.
    if (!(failure instanceof ChildWorkflowFailure) || effects.nodeCancelled()) throw failure;
    return { ok: false, error: subgraphNodeError(node, graph, executionId, failure) };
  }
}

/** The child's error as the parent's node reports it (SubgraphFailed, with the child's own error inside). */
export function subgraphNodeError(node: GraphNode, graph: Pick<GraphDocument, 'id' | 'version'>, executionId: string, failure: ChildWorkflowFailure): NodeError {
  const error = childError(failure);
  return {
    nodeId: node.id,
    type: 'SubgraphFailed',
    message: `subgraph "${graph.id}" v${graph.version} (execution ${executionId}) ended ${error.type}: ${error.message}`,
    attempts: 0,
    child: { executionId, error },
  };
}

function childError(failure: ChildWorkflowFailure): NonNullable<NodeError['child']>['error'] {
  const cause = failure.cause;
  if (cause instanceof ApplicationFailure) {
    const result = cause.details?.[0] as Partial<GraphExecutionResult> | undefined;
    if (result?.error) return { type: result.error.type, message: result.error.message, ...(result.error.node ? { node: result.error.node } : {}) };
    return { type: cause.type ?? 'Error', message: cause.message };
  }
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: 'the child execution was cancelled' };
  if (cause instanceof TerminatedFailure) return { type: 'Terminated', message: 'the child workflow was terminated' };
  if (cause instanceof TimeoutFailure) return { type: 'Timeout', message: `the child workflow timed out (${String(cause.timeoutType)})` };
  return { type: cause?.name ?? 'Error', message: cause?.message ?? failure.message };
}

/** The child's concurrency key, evaluated as the client would for a start of its own. */
function concurrencyKey(graph: GraphDocument, args: GraphExecutionArgs): { ok: true; value: string } | { ok: false; message: string } {
  const execution = { id: args.executionId, input: args.input, organizationId: args.organizationId, graphId: graph.id, graphVersion: graph.version };
  let value: Json;
  try {
    value = evaluateExpression(graph.settings!.concurrency!.key, { input: args.input, execution, nodes: {} }, '$.settings.concurrency.key');
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const key = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (!key || key.length > 200) return { ok: false, message: `must evaluate to a non-empty string of at most 200 characters, got ${JSON.stringify(value)}` };
  return { ok: true, value: key };
}
