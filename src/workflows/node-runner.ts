/**
 * Runs one started node the way its type says: inline in the workflow, as a durable timer,
 * waiting for a signal, as a child workflow (subgraph-runner.ts), or as one activity whose
 * retries, timeouts and attempts are Temporal's own (a local activity for a `"local": true`
 * node: same retry policy, same activity function, so the same attempts and mirror rows). The
 * Temporal calls come in as `NodeEffects`, so the rules here (what each runtime returns, how
 * an activity failure becomes a node error) are unit-tested without a server;
 * `temporalEffects` is the real thing.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, TimeoutFailure, executeChild, scheduleActivity, scheduleLocalActivity, sleep, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { NodeActivityInput, NodeActivityResult, NodeFailureDetails } from './contracts/node-activity';
import { CURRENT_INTERPRETER, type GraphExecutionResult } from './contracts/execution';
import type { StepUpdate } from './contracts/mirror';
import { GRAPH_WORKFLOW } from './contracts/names';
import { durationMs } from './graph/durations';
import { DEFAULT_RETRY, DEFAULT_START_TO_CLOSE_MS, NON_RETRYABLE_NODE_FAILURES } from './graph/failures';
import { nodeTypeSpec, type NodeTypeSpec } from './graph/node-types';
import { workflowNodeError, type NodeOutcome } from './graph/run-state';
import type { GraphNode, Json, NodeError } from './graph/types';
import { loadSubgraph } from './local-activities';
import type { SignalInbox } from './signal-inbox';
import { runSubgraph, type SubgraphEffects, type SubgraphParent } from './subgraph-runner';

/** What running a node may ask of Temporal. */
export interface NodeEffects extends SubgraphEffects {
  activity(type: string, input: NodeActivityInput, options: ActivityOptions): Promise<NodeActivityResult>;
  localActivity(type: string, input: NodeActivityInput, options: LocalActivityOptions): Promise<NodeActivityResult>;
  timer(ms: number): Promise<void>;
  /** The next payload of signal `name`, or undefined once `timeoutMs` passed. */
  signal(name: string, timeoutMs?: number): Promise<{ payload: Json } | undefined>;
}

export function temporalEffects(inbox: SignalInbox): NodeEffects {
  return {
    activity: (type, input, options) => scheduleActivity<NodeActivityResult>(type, [input], options),
    localActivity: (type, input, options) => scheduleLocalActivity<NodeActivityResult>(type, [input], options),
    timer: (ms) => sleep(ms),
    signal: (name, timeoutMs) => inbox.take(name, timeoutMs),
    loadGraph: (organizationId, graphId, version) => loadSubgraph(organizationId, graphId, version),
    nodeCancelled: () => CancellationScope.current().consideredCancelled,
    child: (args, options) => executeChild<(a: typeof args) => Promise<GraphExecutionResult>>(GRAPH_WORKFLOW, { ...options, args: [{ ...args, ...CURRENT_INTERPRETER }] }),
  };
}

export interface Ids {
  executionId: string;
  organizationId: string;
}

export function maxAttempts(node: GraphNode): number {
  return node.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
}

/** The heartbeat timeout of an activity of type `type` for `node`: the node's own, else the type's default. */
function heartbeatTimeoutMs(node: GraphNode, type: string): number | undefined {
  if (node.timeout?.heartbeat) return durationMs(node.timeout.heartbeat);
  const spec = nodeTypeSpec(type);
  return spec?.runtime === 'activity' ? spec.defaultHeartbeatTimeoutMs : undefined;
}

/** Activity options of `node`; `type` is the activity's node type (its compensation's may differ). */
export function activityOptions(node: GraphNode, type = node.type): ActivityOptions {
  const retry = node.retry ?? {};
  return {
    // The node id as activity id: the Web UI shows which node each activity is.
    activityId: node.id,
    summary: node.name ? `${node.id}: ${node.name}` : node.id,
    startToCloseTimeout: node.timeout?.startToClose ? durationMs(node.timeout.startToClose) : DEFAULT_START_TO_CLOSE_MS,
    heartbeatTimeout: heartbeatTimeoutMs(node, type),
    retry: {
      maximumAttempts: maxAttempts(node),
      initialInterval: retry.initialInterval ? durationMs(retry.initialInterval) : DEFAULT_RETRY.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maximumInterval: retry.maxInterval ? durationMs(retry.maxInterval) : DEFAULT_RETRY.maxIntervalMs,
      nonRetryableErrorTypes: [...(retry.nonRetryable ?? []), ...NON_RETRYABLE_NODE_FAILURES],
    },
  };
}

/**
 * The same options for a local activity. Local activities have no id of their own (the
 * history has a marker per result, matched by sequence) and cannot heartbeat; validation
 * refused a local node's heartbeat timeout, and a type's default one does not apply.
 */
export function localActivityOptions(options: ActivityOptions): LocalActivityOptions {
  return { startToCloseTimeout: options.startToCloseTimeout, retry: options.retry, summary: options.summary };
}

/** The NodeError of an activity that failed for good, with the attempts it took. */
export function activityNodeError(node: GraphNode, failure: ActivityFailure): NodeError {
  const cause = failure.cause;
  // A local activity's timeout reaches the workflow only once its retries ran out (timeouts
  // are retryable, and a local node has no scheduleToClose), but its retry state does not say so.
  const exhausted = failure.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED || (!!node.local && cause instanceof TimeoutFailure);
  const attemptsIfUnknown = exhausted ? maxAttempts(node) : 1;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as NodeFailureDetails | undefined;
    return { nodeId: node.id, type: cause.type ?? 'Error', message: cause.message, attempts: details?.attempt ?? attemptsIfUnknown };
  }
  if (cause instanceof TimeoutFailure) {
    return { nodeId: node.id, type: 'Timeout', message: `activity timed out (${String(cause.timeoutType)})`, attempts: attemptsIfUnknown };
  }
  return { nodeId: node.id, type: cause?.name ?? 'Error', message: cause?.message ?? failure.message, attempts: attemptsIfUnknown };
}

/** An activity's result as the node's outcome. */
function activityOutcome(result: NodeActivityResult): NodeOutcome {
  return { ok: true, output: result.output, attempts: result.attempt, mirrored: result.mirrored, ...(result.carriedWritten === true ? { carriedWritten: true } : {}) };
}

/**
 * An activity's failure for good as the node's outcome; undefined for anything else (a
 * cancellation), which passes through. A local activity's failure carries the same
 * ApplicationFailure and attempt details, but unwrapped.
 */
function activityFailureOutcome(node: GraphNode, type: string, failure: unknown): NodeOutcome | undefined {
  if (failure instanceof ActivityFailure) return { ok: false, error: activityNodeError(node, failure) };
  // A local activity's own failure arrives bare, without the ActivityFailure around it.
  if (node.local && failure instanceof ApplicationFailure) return { ok: false, error: activityNodeError(node, new ActivityFailure(failure.message, type, undefined, RetryState.RETRY_STATE_UNSPECIFIED, undefined, failure)) };
  return undefined;
}

/** Schedules the activity: a local one for a `"local": true` node. */
function scheduleActivityOf(node: GraphNode, type: string, input: NodeActivityInput, options: ActivityOptions, effects: NodeEffects): Promise<NodeActivityResult> {
  return node.local ? effects.localActivity(type, input, localActivityOptions(options)) : effects.activity(type, input, options);
}

/**
 * One activity (local for a local node); a failure for good becomes the node's error,
 * anything else (a cancellation) passes through. A `then` rather than an async function:
 * every promise workflow code creates costs the SDK a stack trace, and this keeps the
 * microtask timing of the `await` it replaced.
 */
export function runActivity(node: GraphNode, type: string, input: NodeActivityInput, options: ActivityOptions, effects: NodeEffects): Promise<NodeOutcome> {
  return scheduleActivityOf(node, type, input, options, effects).then(activityOutcome, (failure: unknown): NodeOutcome => {
    const outcome = activityFailureOutcome(node, type, failure);
    if (outcome) return outcome;
    throw failure;
  });
}

/** The activity input of an activity node; `mirror` rides along with it. */
function activityNodeInput(node: GraphNode, config: Json, input: Json, ids: Ids, mirror?: StepUpdate[]): NodeActivityInput {
  return { ...ids, nodeId: node.id, nodeType: node.type, config, input, ...(mirror?.length ? { mirror } : {}) };
}

/**
 * Runs a started node that is not inline; `mirror` rides along with an activity, `parent` is
 * what a subgraph's child inherits. An activity's outcome comes straight from its `then`, with
 * no async function around it (a promise and two microtask turns fewer).
 */
export function runNode(node: GraphNode, spec: NodeTypeSpec, config: Json, input: Json, ids: Ids, effects: NodeEffects, mirror?: StepUpdate[], parent?: SubgraphParent): Promise<NodeOutcome> {
  if (spec.runtime === 'activity') {
    try {
      return runActivity(node, node.type, activityNodeInput(node, config, input, ids, mirror), activityOptions(node), effects);
    } catch (error) {
      // As from an async function: a bug here fails the node, not the workflow task.
      return Promise.reject(error);
    }
  }
  return runOtherNode(node, spec, config, input, effects, parent);
}

/** Where a node's end goes: its outcome, or what ended it otherwise (a cancellation, a bug). */
export interface NodeSettled {
  outcome(outcome: NodeOutcome): void;
  failed(error: unknown): void;
}

/**
 * `runNode` with its end handed to `settled` rather than returned: an activity's by the one
 * `then` of the activity itself, where `runNode`'s promise and the loop's `then` on it made
 * two (each a captured stack trace, and a microtask turn). Executions asking for
 * `loopInNodeScope` run their nodes this way; a recorded history without it replays with
 * `runNode` (the turn saved moves an activity's settling before other kinds' in one activation).
 */
export function settleNode(node: GraphNode, spec: NodeTypeSpec, config: Json, input: Json, ids: Ids, effects: NodeEffects, settled: NodeSettled, mirror?: StepUpdate[], parent?: SubgraphParent): void {
  if (spec.runtime !== 'activity') {
    runOtherNode(node, spec, config, input, effects, parent).then(settled.outcome, settled.failed);
    return;
  }
  let scheduled: Promise<NodeActivityResult>;
  try {
    scheduled = scheduleActivityOf(node, node.type, activityNodeInput(node, config, input, ids, mirror), activityOptions(node), effects);
  } catch (error) {
    // As from an async function: a bug here fails the node, not the workflow task.
    Promise.reject(error).then(undefined, settled.failed);
    return;
  }
  scheduled.then(
    (result) => settled.outcome(activityOutcome(result)),
    (failure: unknown) => {
      const outcome = activityFailureOutcome(node, node.type, failure);
      if (outcome) settled.outcome(outcome);
      else settled.failed(failure);
    },
  );
}

/**
 * `runNode` as executions started without `wakeOnSettle` ran it: an activity's outcome passed
 * through an async function. The turns that added decide in which order nodes of different
 * kinds settling in one activation reach the loop, so their histories need them to replay.
 */
export function runNodeAsRecorded(...args: Parameters<typeof runNode>): Promise<NodeOutcome> {
  return args[1].runtime === 'activity' ? throughAsyncFunction(() => runNode(...args)) : runNode(...args);
}

async function throughAsyncFunction<T>(run: () => Promise<T>): Promise<T> {
  return run();
}

async function runOtherNode(node: GraphNode, spec: NodeTypeSpec, config: Json, input: Json, effects: NodeEffects, parent?: SubgraphParent): Promise<NodeOutcome> {
  switch (spec.runtime) {
    case 'inline':
      return { ok: true, output: spec.run(config, input), attempts: 0, mirrored: false };
    case 'timer':
      await effects.timer(spec.durationMs(config));
      return { ok: true, output: input, attempts: 0, mirrored: false };
    case 'signal': {
      const { signal, timeout } = spec.awaits(config);
      const received = await effects.signal(signal, timeout ? durationMs(timeout) : undefined);
      if (!received) return { ok: false, error: workflowNodeError(node.id, 'WaitTimeout', `no "${signal}" signal within ${timeout}`) };
      return { ok: true, output: received.payload, attempts: 0, mirrored: false };
    }
    case 'activity':
      throw new Error(`activity node "${node.id}" must be started with runNode`);
    case 'child':
      if (!parent) throw new Error(`node "${node.id}" runs a subgraph without its parent's context`);
      return runSubgraph(node, spec.child(config, input), parent, effects);
    case 'map':
      // Its items need the workflow's variables and mirror: src/workflows/map-runner.ts.
      throw new Error(`map node "${node.id}" must be started with startMapNode`);
  }
}

/** Runs a completed node's compensation activity (its own retries, the node's timeouts; local when the node is). */
export function runCompensation(node: GraphNode, config: Json, input: Json, ids: Ids, effects: NodeEffects): Promise<NodeOutcome> {
  const compensate = node.compensate!;
  const activityInput: NodeActivityInput = { ...ids, nodeId: node.id, nodeType: compensate.type, config, input, phase: 'compensate' };
  return runActivity(node, compensate.type, activityInput, { ...activityOptions(node, compensate.type), activityId: `${node.id}:compensate`, summary: `compensate ${node.id}` }, effects);
}
