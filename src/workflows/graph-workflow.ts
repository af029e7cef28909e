/**
 * The graph interpreter: one deterministic workflow per execution. It asks the pure planner
 * what is ready, runs inline nodes itself, starts timers and activities (one per I/O node),
 * and reports to the mirror in batches. Everything durable is Temporal's: history, timers,
 * timeouts, retries.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
  type CancellationScope as Scope,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { workflowTags } from '../common/workflow-tags';
import type { createActivities } from '../activities';
import { type DeadLetterArgs } from './contracts/dead-letters';
import { type CarriedState, type GraphExecutionArgs, type GraphExecutionResult, type StepMeta, type StepSummary } from './contracts/execution';
import { type DeadLetterRecord, type ExecutionUpdate, type MirrorBatch, type StepUpdate } from './contracts/mirror';
import { DEAD_LETTER_WORKFLOW, deadLetterId, slotsWorkflowId } from './contracts/names';
import { releaseSlotSignal, slotGrantedSignal } from './contracts/slots';
import { durationMs } from './graph/durations';
import { collectExpressions, evaluateExpression, ExpressionError, renderTemplate, type ExpressionVariables } from './graph/expressions';
import { EXECUTION_FAILURE_TYPES, type ExecutionError, type ExecutionFailureType } from './graph/failures';
import { nodeTypeSpec } from './graph/node-types';
import { GraphPlan, type EdgeFault } from './graph/planner';
import { referencedNodeOutputs } from './graph/references';
import type { ExecutionContext, GraphEdge, Json, NodeError } from './graph/types';
import { validateGraph } from './graph/validate';
import { MirrorBuffer } from './mirror-buffer';
import { runCompensation, startAsyncNode, workflowNodeError, type NodeOutcome } from './node-runner';
import { SignalInbox } from './signal-inbox';

type Activities = ReturnType<typeof createActivities>;

// Mirror writes are short local activities: no task-queue round trip, and retried until
// Postgres answers, so a database outage delays the mirror but never fails an execution.
const { mirrorFlush, requestConcurrencySlot } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const DEFAULT_MAX_PARALLELISM = 16;

interface Settlement {
  nodeId: string;
  outcome: NodeOutcome;
}

export async function graphExecution(args: GraphExecutionArgs): Promise<GraphExecutionResult> {
  const info = workflowInfo();
  const now = (): string => new Date().toISOString();
  const executionBase = {
    graphId: args.graph.id,
    graphVersion: args.graph.version,
    workflowId: info.workflowId,
    runId: info.runId,
  };
  const buffer = new MirrorBuffer(args.executionId, args.organizationId);

  const validation = validateGraph(args.graph);
  if (!validation.ok) {
    // Entry points validate first; this guard keeps a hand-started workflow from running junk.
    const message = `graph is invalid: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    const error: ExecutionError = { type: 'InvalidGraph', message };
    await mirrorFlush({ executionId: args.executionId, organizationId: args.organizationId, steps: [], execution: { ...executionBase, status: 'failed', input: args.input, error, startedAt: now(), finishedAt: now() } });
    throw ApplicationFailure.nonRetryable(message, 'InvalidGraph');
  }
  const graph = validation.graph;
  const carried = args.carried;
  const plan = carried ? GraphPlan.restore(graph, carried.plan) : new GraphPlan(graph);
  const meta = new Map<string, StepMeta>(carried ? Object.entries(carried.meta) : []);
  const startedAt = carried?.startedAt ?? now();
  const deadline = args.deadline ?? graph.settings?.deadline;
  const deadlineAt = carried?.deadlineAt ?? (deadline ? new Date(Date.parse(startedAt) + durationMs(deadline)).toISOString() : undefined);
  const inbox = new SignalInbox(carried?.signals);
  inbox.listen();
  const ids = { executionId: args.executionId, organizationId: args.organizationId };
  const execution: ExecutionContext = {
    id: args.executionId,
    input: args.input,
    organizationId: args.organizationId,
    graphId: graph.id,
    graphVersion: graph.version,
  };
  const variables = (input: Json): ExpressionVariables => ({ input, execution, nodes: plan.nodesVariable() });
  const nodeIndex = new Map(graph.nodes.map((node, index) => [node.id, index]));
  const templatedNodes = new Set(graph.nodes.filter((node) => collectExpressions(node.config, '$').length > 0).map((node) => node.id));
  const evaluateWhen = (edge: GraphEdge, output: Json): boolean => {
    const index = graph.edges.indexOf(edge);
    const value = evaluateExpression(edge.when!, { ...variables(output), output }, `$.edges[${index}].when`, 'when');
    if (typeof value !== 'boolean') {
      throw new ExpressionError(`expression ${JSON.stringify(edge.when)} at $.edges[${index}].when must be a bool, got ${JSON.stringify(value)}`, edge.when!, `$.edges[${index}].when`);
    }
    return value;
  };

  let flushing: Promise<void> = Promise.resolve();
  if (carried) buffer.seed(plan);
  // Per-key FIFO concurrency: queued until the key's slots workflow grants a slot.
  const concurrency = graph.settings?.concurrency && args.concurrencyKey !== undefined ? { key: args.concurrencyKey, max: graph.settings.concurrency.max } : undefined;
  let holdsSlot = carried?.holdsSlot ?? false;
  let slotGranted = holdsSlot;
  let grantedAt: string | undefined;
  setHandler(slotGrantedSignal, (grant) => {
    slotGranted = true;
    grantedAt ??= grant.grantedAt;
  });
  if (!carried) {
    const queued = concurrency !== undefined;
    const starting: ExecutionUpdate = queued
      ? { ...executionBase, status: 'queued', input: args.input, queuedAt: startedAt, deadlineAt, retryOf: args.retryOf, concurrencyKey: concurrency.key }
      : { ...executionBase, status: 'running', input: args.input, startedAt, deadlineAt, retryOf: args.retryOf };
    for (const batch of buffer.startBatches(plan, starting)) await mirrorFlush(batch);
  }
  let flushInFlight = false;
  const flushInBackground = (batch: MirrorBatch): void => {
    // One flush at a time, chained so batches land in order; updates that arrive meanwhile
    // wait for the next one, which batches them. The final flush waits for the chain.
    flushInFlight = true;
    flushing = flushing.then(() => mirrorFlush(batch)).finally(() => {
      flushInFlight = false;
    });
  };

  const running = new Map<string, Scope>();
  const settled: Settlement[] = [];
  const maxParallelism = graph.settings?.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
  let failure: ExecutionError | undefined;
  let cancelled = false;
  let cancellation: unknown;
  let timedOut = false;
  /** Nodes that were running when the execution stopped (for the dead letter). */
  const interrupted: string[] = [];

  const stopEverything = (): void => {
    for (const id of plan.abort()) {
      running.get(id)?.cancel();
      running.delete(id);
      plan.cancel(id);
      interrupted.push(id);
    }
  };

  // The deadline is a durable timer in its own scope; it only raises a flag the loop reads.
  let deadlineHit = false;
  const deadlineScope = new CancellationScope();
  if (deadlineAt) {
    void deadlineScope
      .run(() => sleep(Math.max(1, Date.parse(deadlineAt) - Date.now())))
      .then(
        () => (deadlineHit = true),
        () => undefined,
      );
  }

  const failNode = (nodeId: string, error: NodeError): void => {
    const { handled, faults } = plan.fail(nodeId, error, evaluateWhen);
    const stepMeta = meta.get(nodeId);
    if (stepMeta) stepMeta.finishedAt = now();
    handleFaults(faults);
    if (!handled && !failure) {
      // A node error whose type is itself an execution failure type (WaitTimeout,
      // ExpressionError, …) names the execution's failure; any other is NodeFailed.
      const type = (EXECUTION_FAILURE_TYPES as readonly string[]).includes(error.type) ? (error.type as ExecutionFailureType) : 'NodeFailed';
      failure = { type, message: `node "${nodeId}" failed: ${error.message}`, node: { ...error } };
      stopEverything();
    }
  };

  const handleFaults = (faults: EdgeFault[]): void => {
    for (const fault of faults) {
      const target = graph.edges[fault.edgeIndex].to;
      const status = plan.state(target).status;
      if (status !== 'pending') continue;
      const message = fault.error instanceof Error ? fault.error.message : String(fault.error);
      meta.set(target, { runtime: nodeTypeSpec(plan.node(target).type)?.runtime ?? 'inline', attempts: 0 });
      failNode(target, workflowNodeError(target, 'ExpressionError', message));
    }
  };

  const completeNode = (nodeId: string, output: Json): void => {
    const stepMeta = meta.get(nodeId);
    if (stepMeta) stepMeta.finishedAt = now();
    handleFaults(plan.complete(nodeId, output, evaluateWhen));
  };

  interface Launch {
    nodeId: string;
    config: Json;
    input: Json;
  }

  /**
   * Starts one ready node: inline nodes finish before this returns; timers and activities
   * are returned to be launched once the round's mirror updates are known.
   */
  const startNode = (nodeId: string): Launch | undefined => {
    const node = plan.node(nodeId);
    const spec = nodeTypeSpec(node.type)!;
    const index = nodeIndex.get(nodeId)!;
    plan.start(nodeId);
    meta.set(nodeId, { runtime: spec.runtime, startedAt: now(), attempts: spec.runtime === 'activity' ? undefined : 0 });
    const input = plan.input(nodeId, args.input);
    let config = (node.config ?? {}) as Json;
    // A config without expressions was fully checked by validation: use it as it is.
    if (templatedNodes.has(nodeId)) {
      try {
        config = renderTemplate(node.config ?? {}, variables(input), `$.nodes[${index}].config`);
      } catch (error) {
        failNode(nodeId, workflowNodeError(nodeId, 'ExpressionError', error instanceof Error ? error.message : String(error)));
        return undefined;
      }
    }
    const rendered = templatedNodes.has(nodeId) ? spec.renderedSchema.safeParse(config) : { success: true as const };
    if (!rendered.success) {
      const problems = rendered.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; ');
      failNode(nodeId, workflowNodeError(nodeId, 'InvalidConfig', `config of node "${nodeId}" is invalid after evaluating expressions: ${problems}`));
      return undefined;
    }
    if (spec.runtime === 'inline') {
      completeNode(nodeId, node.type === 'transform' ? (config as { output: Json }).output ?? null : input);
      return undefined;
    }
    return { nodeId, config, input };
  };

  const launch = ({ nodeId, config, input }: Launch, mirror?: StepUpdate[]): void => {
    if (plan.state(nodeId).status !== 'running') return; // cancelled before launch
    const node = plan.node(nodeId);
    const { scope, outcome } = startAsyncNode(node, nodeTypeSpec(node.type)!, config, input, ids, inbox, mirror);
    running.set(nodeId, scope);
    outcome.then(
      (result) => settled.push({ nodeId, outcome: result }),
      (error) => {
        // A cancelled node was already marked cancelled by the planner; anything else is a bug
        // surfaced as a node failure rather than a stuck workflow task.
        if (!isCancellation(error)) settled.push({ nodeId, outcome: { ok: false, error: workflowNodeError(nodeId, 'InternalError', String(error)) } });
      },
    );
  };

  const applySettlement = ({ nodeId, outcome }: Settlement): void => {
    if (plan.state(nodeId).status !== 'running') return; // cancelled meanwhile
    running.delete(nodeId);
    const stepMeta = meta.get(nodeId)!;
    if (outcome.ok) {
      stepMeta.attempts = outcome.attempts;
      stepMeta.mirrored = outcome.mirrored;
      completeNode(nodeId, outcome.output);
    } else {
      stepMeta.attempts = outcome.error.attempts;
      failNode(nodeId, outcome.error);
    }
  };

  // Long or wide graphs: when history grows large, start nothing new, let what runs finish,
  // and continue as new with the plan's state (activities cannot cross runs).
  const historyIsLarge = (): boolean => {
    const current = workflowInfo();
    return current.continueAsNewSuggested || (args.continueAsNewAtEvents !== undefined && current.historyLength >= args.continueAsNewAtEvents);
  };
  let draining = false;

  // Resume from a dead letter: what the original completed is recorded as reused and not run.
  if (!carried) {
    for (const seed of args.seed ?? []) {
      if (!nodeIndex.has(seed.nodeId) || plan.state(seed.nodeId).status !== 'pending') continue;
      meta.set(seed.nodeId, { runtime: nodeTypeSpec(plan.node(seed.nodeId).type)?.runtime ?? 'inline', attempts: 0, startedAt: now(), finishedAt: now() });
      handleFaults(plan.complete(seed.nodeId, seed.output, evaluateWhen, true));
    }
  }

  const stopAtDeadline = (): void => {
    timedOut = true;
    failure = { type: 'DeadlineExceeded', message: `the execution's deadline (${deadline}) passed at ${deadlineAt}` };
    stopEverything();
    buffer.observe(plan, meta, now());
  };

  /** Waits for `until`; false when the execution was cancelled meanwhile (then everything is stopped). */
  const waitUnlessCancelled = async (until: () => boolean): Promise<boolean> => {
    try {
      await condition(until);
      return true;
    } catch (error) {
      if (!isCancellation(error)) throw error;
      cancelled = true;
      cancellation = error;
      stopEverything();
      buffer.observe(plan, meta, now());
      return false;
    }
  };

  if (concurrency && !holdsSlot) {
    await requestConcurrencySlot({ organizationId: args.organizationId, key: concurrency.key, request: { executionId: args.executionId, max: concurrency.max, requestedAt: startedAt } });
    holdsSlot = true; // from here on it must be released, granted or not
    // Cancelled while queued: nothing ran, and the loop below starts nothing.
    await waitUnlessCancelled(() => slotGranted || deadlineHit);
    if (slotGranted && !cancelled) await mirrorFlush({ ...ids, steps: [], execution: { ...executionBase, status: 'running', startedAt: grantedAt ?? now() } });
  }

  for (;;) {
    if (cancelled) break;
    if (deadlineHit && !failure) {
      stopAtDeadline();
      break;
    }
    draining = draining || historyIsLarge();
    // Start all that can start. Inline nodes finish at once and may make more ready, so repeat
    // until nothing changes; timers and activities count against maxParallelism.
    const launches: Launch[] = [];
    let progressed = true;
    while (progressed && !failure && !cancelled && !draining) {
      progressed = false;
      for (const nodeId of plan.ready()) {
        if (failure) break;
        const runtime = nodeTypeSpec(plan.node(nodeId).type)?.runtime;
        if (runtime !== 'inline' && running.size + launches.length >= maxParallelism) continue;
        const pending = startNode(nodeId);
        if (pending) launches.push(pending);
        progressed = true;
      }
    }
    buffer.observe(plan, meta, now());
    // The round's mirror updates ride along with the first activity it starts.
    const carrier = launches.findIndex((item) => nodeTypeSpec(plan.node(item.nodeId).type)?.runtime === 'activity' && plan.state(item.nodeId).status === 'running');
    launches.forEach((item, index) => launch(item, index === carrier ? buffer.takeForActivity() : undefined));
    if (running.size === 0) break;
    if (buffer.hasUrgent() && !flushInFlight) flushInBackground(buffer.takeUrgent());
    if (!(await waitUnlessCancelled(() => settled.length > 0 || deadlineHit))) break;
    while (settled.length > 0) applySettlement(settled.shift()!);
    if (deadlineHit && !failure && running.size > 0) {
      stopAtDeadline();
      break;
    }
  }

  if (draining && !failure && !cancelled && !plan.settled(0)) {
    await CancellationScope.nonCancellable(async () => {
      await flushing;
      for (const batch of buffer.takeFinal()) await mirrorFlush(batch);
    });
    const referenced = referencedNodeOutputs(graph);
    const sinks = new Set(plan.sinks());
    const keepOutput = (id: string): boolean => referenced === 'all' || referenced.has(id) || sinks.has(id);
    const next: CarriedState = {
      plan: plan.snapshot(keepOutput),
      meta: Object.fromEntries(meta),
      startedAt,
      deadlineAt,
      signals: inbox.pending(),
      holdsSlot,
      continuations: (carried?.continuations ?? 0) + 1,
    };
    return continueAsNew<typeof graphExecution>({ ...args, carried: next });
  }

  let output: Json = null;
  if (!failure && !cancelled) {
    try {
      output = graph.settings?.output !== undefined ? renderTemplate(graph.settings.output, variables(args.input), '$.settings.output') : plan.defaultOutput();
    } catch (error) {
      failure = { type: 'ExpressionError', message: error instanceof Error ? error.message : String(error) };
    }
  }
  deadlineScope.cancel();

  // Failed for good: undo what completed, newest first. Runs to the end even if the
  // workflow is cancelled meanwhile.
  if (failure && !cancelled) {
    const compensationFailures = await CancellationScope.nonCancellable(() => compensateCompleted());
    if (compensationFailures.length > 0) failure = { ...failure, compensationFailures };
    buffer.observe(plan, meta, now());
  }

  const status = cancelled ? 'cancelled' : timedOut ? 'timed_out' : failure ? 'failed' : 'completed';
  const error: ExecutionError | null = cancelled ? { type: 'Cancelled', message: 'execution was cancelled' } : failure ?? null;
  const finalExecution: ExecutionUpdate = { ...executionBase, status, output, error, finishedAt: now() };
  const deadLetter: DeadLetterRecord | undefined =
    failure && !cancelled && graph.settings?.onFailure !== 'fail'
      ? { id: deadLetterId(args.executionId), failedNodes: failedNodeIds(), error: failure }
      : undefined;

  // The last word for the mirror must land even when the workflow itself is being cancelled.
  // The dead-letter row goes in the same transaction as the final failure.
  await CancellationScope.nonCancellable(async () => {
    await flushing;
    const batches = buffer.takeFinal(finalExecution);
    if (deadLetter) batches[batches.length - 1].deadLetter = deadLetter;
    for (const batch of batches) await mirrorFlush(batch);
    // Started after the row is written: a worker dying in between replays to this point and
    // starts it then, so no dead letter is ever lost.
    if (deadLetter) await startDeadLetterWorkflow(deadLetter);
    // On every way the execution ends, its slot (held or queued) goes back.
    if (concurrency && holdsSlot) await releaseSlot(concurrency.key);
  });

  const steps: Record<string, StepSummary> = {};
  for (const node of graph.nodes) {
    const state = plan.state(node.id);
    steps[node.id] = { status: state.status, attempts: meta.get(node.id)?.attempts ?? 0, ...(state.status === 'completed' && state.reused ? { reused: true } : {}) };
  }
  const result: GraphExecutionResult = { executionId: args.executionId, status, output, error, steps };
  if (timedOut) throw ApplicationFailure.create({ type: 'DeadlineExceeded', message: failure!.message, nonRetryable: true, details: [result] });
  function failedNodeIds(): string[] {
    const failedForGood = graph.nodes.filter((node) => {
      const state = plan.state(node.id);
      return state.status === 'failed' && !state.handled;
    });
    return [...failedForGood.map((node) => node.id), ...interrupted];
  }

  async function compensateCompleted(): Promise<{ nodeId: string; type: string; message: string }[]> {
    const failures: { nodeId: string; type: string; message: string }[] = [];
    for (const nodeId of [...plan.completionOrder].reverse()) {
      const node = plan.node(nodeId);
      const state = plan.state(nodeId);
      // Reused outputs belong to the original execution: its own failure handled them.
      if (!node.compensate || state.status !== 'completed' || state.reused) continue;
      let config: Json;
      try {
        config = renderTemplate(node.compensate.config ?? {}, variables(state.output), `$.nodes[${nodeIndex.get(nodeId)}].compensate.config`);
      } catch (err) {
        failures.push({ nodeId, type: 'ExpressionError', message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const outcome = await runCompensation(node, config, state.output, ids);
      if (outcome.ok) plan.markCompensated(nodeId);
      else failures.push({ nodeId, type: outcome.error.type, message: outcome.error.message });
    }
    return failures;
  }

  async function releaseSlot(key: string): Promise<void> {
    try {
      await getExternalWorkflowHandle(slotsWorkflowId(args.organizationId, key)).signal(releaseSlotSignal, { executionId: args.executionId });
    } catch {
      // The slots workflow is gone: nothing is held there any more.
    }
  }

  async function startDeadLetterWorkflow(record: DeadLetterRecord): Promise<void> {
    const dlqArgs: DeadLetterArgs = { deadLetterId: record.id, executionId: args.executionId, organizationId: args.organizationId };
    try {
      await startChild(DEAD_LETTER_WORKFLOW, {
        workflowId: record.id,
        args: [dlqArgs],
        // The dead letter outlives the failed execution.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        ...workflowTags(args.organizationId, graph, `dead letter of ${args.executionId}`),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  // Rethrowing the cancellation makes Temporal show the run as Canceled, like the mirror.
  if (cancelled) throw cancellation;
  if (failure) throw ApplicationFailure.create({ type: failure.type, message: failure.message, nonRetryable: true, details: [result] });
  return result;
}
