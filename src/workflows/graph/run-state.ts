/**
 * The state of one run of an execution, and the rules that change it (DESIGN §4), without
 * Temporal: a node started, completed or failed; a `when` threw; the execution stopped
 * (unhandled failure, deadline, cancel). Each change returns the running nodes the caller must
 * cancel. The workflow holds one of these and carries out what it says; unit and property
 * tests drive it directly.
 */
import type { StepMeta } from '../contracts/execution';
import type { ExecutionError } from './failures';
import type { NodeRuntime } from './node-types';
import { runtimeOf } from './node-types';
import { deadlineFailure, faultFailsTarget, nodeFailure, type RunEnd } from './outcome';
import type { EdgeFault, GraphPlan, WhenEvaluator } from './planner';
import type { Json, NodeError } from './types';

/** A node failure decided in the workflow itself (expression, config, wait timeout): never retried. */
export function workflowNodeError(nodeId: string, type: string, message: string): NodeError {
  return { nodeId, type, message, attempts: 0 };
}

/** How a started node ended. */
export type NodeOutcome = { ok: true; output: Json; attempts: number; mirrored: boolean; carriedWritten?: boolean } | { ok: false; error: NodeError };

export class RunState {
  failure?: ExecutionError;
  cancelled = false;
  timedOut = false;
  /** Nodes that were running when the execution stopped (the dead letter names them). */
  readonly interrupted: string[] = [];
  /** Facts the plan does not hold: runtime, attempts, times. */
  readonly meta: Map<string, StepMeta>;

  constructor(
    readonly plan: GraphPlan,
    private readonly evaluateWhen: WhenEvaluator,
    private readonly now: () => string,
    meta: Record<string, StepMeta> = {},
  ) {
    this.meta = new Map(Object.entries(meta));
  }

  /** Whether new nodes may start: nothing failed, nobody cancelled. */
  get going(): boolean {
    return !this.failure && !this.cancelled;
  }

  get end(): RunEnd {
    return { cancelled: this.cancelled, timedOut: this.timedOut, failure: this.failure };
  }

  /** A ready node starts. Activities count their own attempts; the others have none. */
  start(nodeId: string, runtime: NodeRuntime): void {
    this.plan.start(nodeId);
    // A map that paused for continue-as-new keeps the time it first started.
    this.meta.set(nodeId, { runtime, startedAt: this.meta.get(nodeId)?.startedAt ?? this.now(), attempts: runtime === 'activity' ? undefined : 0 });
  }

  /** A running map paused (the history is large): pending again, to go on in the next run. */
  pause(nodeId: string): void {
    if (this.plan.state(nodeId).status === 'running') this.plan.unstart(nodeId);
  }

  /** A resumed execution's node, completed by the original: recorded as reused, not run. */
  reuse(nodeId: string, output: Json): string[] {
    const at = this.now();
    this.meta.set(nodeId, { runtime: runtimeOf(this.plan.node(nodeId).type), attempts: 0, startedAt: at, finishedAt: at });
    return this.handleFaults(this.plan.complete(nodeId, output, this.evaluateWhen, true));
  }

  complete(nodeId: string, output: Json): string[] {
    this.finished(nodeId);
    return this.handleFaults(this.plan.complete(nodeId, output, this.evaluateWhen));
  }

  /**
   * A node failed for good. Handled by an error edge, the execution goes on; otherwise it
   * fails: the first unhandled failure names the execution's error and stops everything.
   */
  fail(nodeId: string, error: NodeError): string[] {
    const { handled, faults } = this.plan.fail(nodeId, error, this.evaluateWhen);
    this.finished(nodeId);
    const toCancel = this.handleFaults(faults);
    if (!handled && !this.failure) {
      this.failure = nodeFailure(nodeId, error);
      toCancel.push(...this.stop());
    }
    return toCancel;
  }

  /** How a launched node ended; ignored when the node was cancelled meanwhile. */
  settle(nodeId: string, outcome: NodeOutcome): string[] {
    if (this.plan.state(nodeId).status !== 'running') return [];
    const meta = this.meta.get(nodeId)!;
    if (outcome.ok) {
      meta.attempts = outcome.attempts;
      meta.mirrored = outcome.mirrored;
      return this.complete(nodeId, outcome.output);
    }
    meta.attempts = outcome.error.attempts;
    return this.fail(nodeId, outcome.error);
  }

  /** The deadline passed: everything stops, the execution times out. */
  deadlinePassed(deadline: string | undefined, deadlineAt: string): string[] {
    this.timedOut = true;
    this.failure = deadlineFailure(deadline, deadlineAt);
    return this.stop();
  }

  /** An operator cancelled the execution. */
  cancel(): string[] {
    this.cancelled = true;
    return this.stop();
  }

  /** The output expression failed: the run otherwise completed. */
  outputFailed(message: string): void {
    this.failure = { type: 'ExpressionError', message };
  }

  /**
   * Nothing new starts: pending nodes end cancelled, running ones are marked cancelled and
   * returned for the caller to cancel.
   */
  private stop(): string[] {
    const running = this.plan.abort();
    for (const id of running) {
      this.plan.cancel(id);
      this.interrupted.push(id);
    }
    return running;
  }

  private finished(nodeId: string): void {
    const meta = this.meta.get(nodeId);
    if (meta) meta.finishedAt = this.now();
  }

  /** Each `when` that threw fails its target with ExpressionError, if that target has not started. */
  private handleFaults(faults: EdgeFault[]): string[] {
    const toCancel: string[] = [];
    for (const fault of faults) {
      const target = this.plan.edges[fault.edgeIndex].to;
      if (!faultFailsTarget(this.plan, target)) continue;
      const message = fault.error instanceof Error ? fault.error.message : String(fault.error);
      this.meta.set(target, { runtime: runtimeOf(this.plan.node(target).type), attempts: 0 });
      toCancel.push(...this.fail(target, workflowNodeError(target, 'ExpressionError', message)));
    }
    return toCancel;
  }
}
