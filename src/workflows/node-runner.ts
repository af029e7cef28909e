/**
 * Runs one node the way its type says: inline in the workflow, as a durable timer, or as one
 * activity whose retries, timeouts and attempts are Temporal's own.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  scheduleActivity,
  sleep,
  type ActivityOptions,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { StepUpdate } from './contracts/mirror';
import type { NodeActivityInput, NodeActivityResult, NodeFailureDetails } from './contracts/node-activity';
import { durationMs } from './graph/durations';
import { DEFAULT_RETRY, DEFAULT_START_TO_CLOSE_MS, NON_RETRYABLE_NODE_FAILURES } from './graph/failures';
import type { NodeTypeSpec } from './graph/node-types';
import type { GraphNode, Json, NodeError } from './graph/types';
import type { SignalInbox } from './signal-inbox';

export type NodeOutcome =
  | { ok: true; output: Json; attempts: number; mirrored: boolean }
  | { ok: false; error: NodeError };

/** A node failure decided in the workflow itself (expression, config): never retried. */
export function workflowNodeError(nodeId: string, type: string, message: string): NodeError {
  return { nodeId, type, message, attempts: 0 };
}

export function maxAttempts(node: GraphNode): number {
  return node.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
}

export function activityOptions(node: GraphNode): ActivityOptions {
  const retry = node.retry ?? {};
  return {
    // The node id as activity id: the Web UI shows which node each activity is.
    activityId: node.id,
    summary: node.name ? `${node.id}: ${node.name}` : node.id,
    startToCloseTimeout: node.timeout?.startToClose ? durationMs(node.timeout.startToClose) : DEFAULT_START_TO_CLOSE_MS,
    heartbeatTimeout: node.timeout?.heartbeat ? durationMs(node.timeout.heartbeat) : undefined,
    retry: {
      maximumAttempts: maxAttempts(node),
      initialInterval: retry.initialInterval ? durationMs(retry.initialInterval) : DEFAULT_RETRY.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maximumInterval: retry.maxInterval ? durationMs(retry.maxInterval) : DEFAULT_RETRY.maxIntervalMs,
      nonRetryableErrorTypes: [...(retry.nonRetryable ?? []), ...NON_RETRYABLE_NODE_FAILURES],
    },
  };
}

/** The NodeError of an activity that failed for good, with the attempts it took. */
export function activityNodeError(node: GraphNode, failure: unknown): NodeError {
  if (failure instanceof ActivityFailure) {
    const cause = failure.cause;
    const exhausted = failure.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED;
    if (cause instanceof ApplicationFailure) {
      const details = cause.details?.[0] as NodeFailureDetails | undefined;
      const attempts = details?.attempt ?? (exhausted ? maxAttempts(node) : 1);
      return { nodeId: node.id, type: cause.type ?? 'Error', message: cause.message, attempts };
    }
    if (cause instanceof TimeoutFailure) {
      const attempts = exhausted ? maxAttempts(node) : 1;
      return { nodeId: node.id, type: 'Timeout', message: `activity timed out (${String(cause.timeoutType)})`, attempts };
    }
    return { nodeId: node.id, type: cause?.name ?? 'Error', message: cause?.message ?? failure.message, attempts: exhausted ? maxAttempts(node) : 1 };
  }
  const error = failure as { name?: string; message?: string };
  return { nodeId: node.id, type: error?.name ?? 'Error', message: error?.message ?? String(failure), attempts: 1 };
}

/** Runs a completed node's compensation activity (its own retries, the node's timeouts). */
export async function runCompensation(node: GraphNode, config: Json, input: Json, ids: { executionId: string; organizationId: string }): Promise<NodeOutcome> {
  const compensate = node.compensate!;
  const activityInput: NodeActivityInput = { ...ids, nodeId: node.id, nodeType: compensate.type, config, input, phase: 'compensate' };
  try {
    const result = await scheduleActivity<NodeActivityResult>(compensate.type, [activityInput], { ...activityOptions(node), activityId: `${node.id}:compensate`, summary: `compensate ${node.id}` });
    return { ok: true, output: result.output, attempts: result.attempt, mirrored: result.mirrored };
  } catch (failure) {
    if (failure instanceof ActivityFailure) return { ok: false, error: activityNodeError(node, failure) };
    throw failure;
  }
}

/**
 * Starts an asynchronous node (timer or activity) in its own cancellation scope, so that a
 * failing execution can cancel exactly the nodes that still run.
 */
export function startAsyncNode(
  node: GraphNode,
  spec: NodeTypeSpec,
  config: Json,
  input: Json,
  ids: { executionId: string; organizationId: string },
  inbox: SignalInbox,
  mirror?: StepUpdate[],
): { scope: CancellationScope; outcome: Promise<NodeOutcome> } {
  const scope = new CancellationScope();
  const outcome = scope.run(async (): Promise<NodeOutcome> => {
    if (spec.runtime === 'timer') {
      await sleep(durationMs((config as { duration: string }).duration));
      return { ok: true, output: input, attempts: 0, mirrored: false };
    }
    if (spec.runtime === 'signal') {
      const { signal, timeout } = config as { signal: string; timeout?: string };
      const received = await inbox.take(signal, timeout ? durationMs(timeout) : undefined);
      if (!received) return { ok: false, error: workflowNodeError(node.id, 'WaitTimeout', `no "${signal}" signal within ${timeout}`) };
      return { ok: true, output: received.payload, attempts: 0, mirrored: false };
    }
    const activityInput: NodeActivityInput = { ...ids, nodeId: node.id, nodeType: node.type, config, input, ...(mirror?.length ? { mirror } : {}) };
    try {
      const result = await scheduleActivity<NodeActivityResult>(node.type, [activityInput], activityOptions(node));
      return { ok: true, output: result.output, attempts: result.attempt, mirrored: result.mirrored };
    } catch (failure) {
      if (failure instanceof ActivityFailure) return { ok: false, error: activityNodeError(node, failure) };
      throw failure;
    }
  });
  return { scope, outcome };
}
