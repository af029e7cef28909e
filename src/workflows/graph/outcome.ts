/**
 * How an execution ends (DESIGN §4), as pure functions: the failure type a node's error gives
 * the execution, the final status and error, whether a dead letter is written and which nodes
 * it names, which completed nodes are compensated and in what order, and the output. The
 * workflow only carries these decisions out.
 */
import { EXECUTION_FAILURE_TYPES, type ExecutionError, type ExecutionFailureType } from './failures';
import { defaultOutput } from './plan-views';
import type { GraphPlan } from './planner';
import type { ExecutionStatus, GraphDocument, Json, NodeError } from './types';

/** How the run stopped, as the workflow saw it. */
export interface RunEnd {
  /** An operator cancelled the execution. */
  cancelled: boolean;
  /** The deadline passed. */
  timedOut: boolean;
  /** What failed the execution (an unhandled node failure, the deadline, the output expression). */
  failure?: ExecutionError;
}

/**
 * A node error whose type is itself an execution failure type (WaitTimeout, ExpressionError,
 * InvalidConfig, …) names the execution's failure; any other is NodeFailed, with the node's
 * own type kept beside it.
 */
export function executionFailureType(nodeErrorType: string): ExecutionFailureType {
  return (EXECUTION_FAILURE_TYPES as readonly string[]).includes(nodeErrorType) ? (nodeErrorType as ExecutionFailureType) : 'NodeFailed';
}

/** The execution's error when `nodeId` failed for good and no error edge handled it. */
export function nodeFailure(nodeId: string, error: NodeError): ExecutionError {
  return { type: executionFailureType(error.type), message: `node "${nodeId}" failed: ${error.message}`, node: { ...error } };
}

/** The execution's error when its deadline passed. */
export function deadlineFailure(deadline: string | undefined, deadlineAt: string): ExecutionError {
  return { type: 'DeadlineExceeded', message: `the execution's deadline (${deadline}) passed at ${deadlineAt}` };
}

/**
 * A `when` that threw fails its edge's target with ExpressionError, but only a target that
 * has not started or been decided: a target already running, done or skipped keeps its fate.
 */
export function faultFailsTarget(plan: GraphPlan, target: string): boolean {
  return plan.state(target).status === 'pending';
}

export function finalStatus(end: RunEnd): ExecutionStatus {
  if (end.cancelled) return 'cancelled';
  if (end.timedOut) return 'timed_out';
  return end.failure ? 'failed' : 'completed';
}

export function finalError(end: RunEnd): ExecutionError | null {
  if (end.cancelled) return { type: 'Cancelled', message: 'execution was cancelled' };
  return end.failure ?? null;
}

/** Failed for good (or timed out) and not cancelled, unless the graph says `onFailure: "fail"`. */
export function needsDeadLetter(end: RunEnd, onFailure: 'dlq' | 'fail' | undefined): boolean {
  return end.failure !== undefined && !end.cancelled && onFailure !== 'fail';
}

/**
 * The nodes a dead letter names (where a resume starts): those that failed for good without
 * an error edge, in document order, then those interrupted while running, in the order they
 * were stopped.
 */
export function failedNodeIds(plan: GraphPlan, interrupted: readonly string[]): string[] {
  const unhandled = plan.nodes.filter((node) => {
    const state = plan.state(node.id);
    return state.status === 'failed' && !state.handled;
  });
  return [...unhandled.map((node) => node.id), ...interrupted];
}

/**
 * Completed nodes to compensate, newest first. Only nodes that declare `compensate` and
 * completed in this execution: reused outputs belong to the original, whose own failure
 * handled them.
 */
export function compensationOrder(plan: GraphPlan): string[] {
  return [...plan.completionOrder].reverse().filter((id) => {
    const state = plan.state(id);
    return plan.node(id).compensate !== undefined && state.status === 'completed' && !state.reused;
  });
}

/**
 * The execution's output: `settings.output` rendered by `render` when given, else the
 * planner's default (the single completed sink, or completed sinks by id). Only a completed
 * run has an output.
 */
export function executionOutput(graph: Pick<GraphDocument, 'settings'>, plan: GraphPlan, render: (template: unknown) => Json): Json {
  return graph.settings?.output !== undefined ? render(graph.settings.output) : defaultOutput(plan);
}
