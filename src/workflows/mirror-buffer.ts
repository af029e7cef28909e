/**
 * What the workflow decides itself (skips, inline nodes, failures, cancellations, execution
 * status) reaches the mirror in batches, never one activity per node. A batch rides along
 * with the next node activity the workflow starts (written in that activity's own
 * transaction, at no Temporal cost) or, when no activity starts, goes out as one local
 * activity. Activity-backed nodes write their own step and attempts; the workflow confirms
 * them with the next activity it starts, and again at the end, where its word is final (it
 * is what Temporal's history says), unless that next activity said it wrote them and they
 * leave the final flush nothing to settle (carriedWritten).
 */
import type { StepMeta } from './contracts/execution';
import type { ExecutionUpdate, MirrorBatch, StepUpdate } from './contracts/mirror';
import type { GraphPlan, NodeState } from './graph/planner';
import type { StepStatus } from './graph/types';

/** Batches above this many step updates are split, to stay far below payload limits. */
const MAX_STEPS_PER_BATCH = 500;

export class MirrorBuffer {
  private readonly lastSeen = new Map<string, StepStatus>();
  /** Updates a user should see soon. */
  private urgent: StepUpdate[] = [];
  /** Confirmations of what activities already wrote: sent with the final batch. */
  private deferred: StepUpdate[] = [];
  /**
   * Updates that rode along with a node activity. That activity may fail to write them
   * (it never fails the node for bookkeeping), so the final batch sends them again, unless
   * the activity's result said it wrote them (carriedWritten).
   */
  private carried: StepUpdate[] = [];
  /**
   * Updates whose row a carried write leaves exactly as the final flush would, marked when
   * they are made: the final flush also settles a step's attempt rows (reconcileAttempts),
   * which a carried write does not, so only these may be left out of it (carriedWritten).
   */
  private readonly nothingToSettle = new WeakSet<StepUpdate>();

  constructor(
    private readonly executionId: string,
    private readonly organizationId: string,
  ) {}

  /** The first batches: the execution is running and every node is pending. */
  startBatches(plan: GraphPlan, execution: ExecutionUpdate): MirrorBatch[] {
    // A queued execution's steps are shown waiting (for its concurrency slot).
    const status = execution.status === 'queued' ? 'waiting' : 'pending';
    // Only local nodes get the field: the batches of graphs without any stay as they were.
    const steps = plan.nodes.map<StepUpdate>((node) => ({ nodeId: node.id, nodeType: node.type, status, final: false, ...(node.local ? { local: true } : {}) }));
    for (const node of plan.nodes) this.lastSeen.set(node.id, 'pending');
    // The execution row goes first: steps reference it.
    const batches: MirrorBatch[] = [{ executionId: this.executionId, organizationId: this.organizationId, execution, steps: steps.slice(0, MAX_STEPS_PER_BATCH) }];
    for (let i = MAX_STEPS_PER_BATCH; i < steps.length; i += MAX_STEPS_PER_BATCH) {
      batches.push({ executionId: this.executionId, organizationId: this.organizationId, steps: steps.slice(i, i + MAX_STEPS_PER_BATCH) });
    }
    return batches;
  }

  /** Turns every status change since the last call into a step update. */
  observe(plan: GraphPlan, meta: ReadonlyMap<string, StepMeta>, now: string): void {
    // Only the nodes whose state was set since: a node left alone still has the status last
    // seen (or, never seen, is pending, which reports nothing), so this is the scan of every
    // node it replaces, in the same order, without its cost per round on a 10,000-node graph.
    for (const id of plan.takeChanged()) {
      const node = plan.node(id);
      const state = plan.state(id);
      if (this.lastSeen.get(id) === state.status) continue;
      this.lastSeen.set(id, state.status);
      const stepMeta = meta.get(id);
      const update = this.updateFor(id, node.type, state, stepMeta, now);
      if (!update) continue;
      const confirmsActivity = stepMeta?.runtime === 'activity' && state.status === 'completed' && stepMeta.mirrored;
      if (hasNoAttemptsToSettle(update, confirmsActivity === true && !node.local)) this.nothingToSettle.add(update);
      (confirmsActivity ? this.deferred : this.urgent).push(update);
    }
  }

  private updateFor(nodeId: string, nodeType: string, state: NodeState, meta: StepMeta | undefined, now: string): StepUpdate | undefined {
    const base = { nodeId, nodeType, attempts: meta?.attempts, startedAt: meta?.startedAt };
    switch (state.status) {
      case 'pending':
        return undefined;
      case 'running':
        // An activity records its own start, attempt by attempt.
        if (meta?.runtime === 'activity') return undefined;
        // A wait node is shown waiting (for its signal), not running.
        return { ...base, status: meta?.runtime === 'signal' ? 'waiting' : 'running', startedAt: meta?.startedAt ?? now, final: false };
      case 'completed': {
        const writeOutput = meta?.runtime !== 'activity' || !meta.mirrored || state.reused;
        return {
          ...base,
          status: 'completed',
          finishedAt: meta?.finishedAt ?? now,
          error: null,
          reused: state.reused,
          final: true,
          ...(writeOutput ? { output: { value: state.output } } : {}),
        };
      }
      case 'failed':
        return { ...base, status: 'failed', finishedAt: meta?.finishedAt ?? now, error: state.error, final: true };
      case 'compensated':
        // Its compensation's attempts too: the mirror reconciles them like the node's own.
        return { ...base, status: 'compensated', finishedAt: now, final: true, compensationAttempts: meta?.compensationAttempts };
      default:
        return { ...base, status: state.status, finishedAt: now, final: true };
    }
  }

  /**
   * An update the plan does not hold: a map's items and progress. It goes out like the
   * plan's own (riding along with the next node activity, or flushed).
   */
  report(update: StepUpdate): void {
    this.urgent.push(update);
  }

  hasUrgent(): boolean {
    return this.urgent.length > 0;
  }

  /**
   * Updates to carry along with a node activity about to start: the urgent ones, and the
   * confirmations of activities that completed since. Carrying those costs nothing, and the
   * snapshot written with the carried batch (execution_context_snapshots) then holds the
   * completed activities at once, not only at the end. Confirmations never force a flush.
   */
  takeForActivity(): StepUpdate[] {
    const pending = mergeByNode([...this.deferred, ...this.urgent]);
    const steps = pending.slice(0, MAX_STEPS_PER_BATCH);
    // What did not fit waits as it was: urgent if anything urgent is in it, deferred otherwise.
    const urgentNodes = new Set(this.urgent.map((step) => step.nodeId));
    const leftover = pending.slice(steps.length);
    this.urgent = leftover.filter((step) => urgentNodes.has(step.nodeId));
    this.deferred = leftover.filter((step) => !urgentNodes.has(step.nodeId));
    this.carried.push(...steps.filter((step) => step.final));
    return steps;
  }

  /**
   * Updates `takeForActivity` handed out that their activity wrote (it says so in its result,
   * which is in the history, so every replay forgets the same ones): not sent again at the
   * end, where sending them would only rewrite the same rows. Only those the final flush has
   * nothing more to do for: it also settles a step's attempt rows (reconcileAttempts), which a
   * carried write does not, so a step with attempts to settle is still sent.
   */
  carriedWritten(steps: readonly StepUpdate[]): void {
    if (this.carried.length === 0) return;
    const written = new Set(steps.filter((step) => this.nothingToSettle.has(step)));
    if (written.size > 0) this.carried = this.carried.filter((step) => !written.has(step));
  }

  /** Urgent updates as a batch of their own (a local activity). */
  takeUrgent(): MirrorBatch {
    const merged = mergeByNode(this.urgent);
    const steps = merged.slice(0, MAX_STEPS_PER_BATCH);
    this.urgent = merged.slice(steps.length);
    return { executionId: this.executionId, organizationId: this.organizationId, steps };
  }

  /** A continued run has already mirrored what the plan holds: nothing to report again. */
  seed(plan: GraphPlan): void {
    plan.takeChanged();
    for (const node of plan.nodes) this.lastSeen.set(node.id, plan.state(node.id).status);
  }

  /** Everything still unsent; the last batch carries the execution update, when given. */
  takeFinal(execution?: ExecutionUpdate): MirrorBatch[] {
    // Oldest first, so a node's later update (compensated after completed) wins the merge.
    const steps = mergeByNode([...this.carried, ...this.deferred, ...this.urgent]);
    this.carried = [];
    this.urgent = [];
    this.deferred = [];
    const batches: MirrorBatch[] = [];
    for (let i = 0; i < steps.length; i += MAX_STEPS_PER_BATCH) {
      batches.push({ executionId: this.executionId, organizationId: this.organizationId, steps: steps.slice(i, i + MAX_STEPS_PER_BATCH) });
    }
    if (!execution) return batches;
    if (batches.length === 0) batches.push({ executionId: this.executionId, organizationId: this.organizationId, steps: [] });
    batches[batches.length - 1].execution = execution;
    return batches;
  }
}

/**
 * Whether the final flush's reconciliation of attempt rows has nothing to do for `step`: a
 * node completed or skipped without attempts (inline, reused), or the confirmation of an
 * ordinary activity that completed at its first attempt and wrote that attempt and its step
 * itself. Not a cancelled step (its activity's attempt may still say running), a failed one,
 * a compensated one, a retried one, an activity that could not write its rows, nor a local
 * node's (a local activity may run twice when its workflow task is lost, and the other run's
 * late end can rewrite the attempt).
 */
function hasNoAttemptsToSettle(step: StepUpdate, confirmsOrdinaryActivity: boolean): boolean {
  if (step.compensationAttempts !== undefined) return false;
  if (step.status !== 'completed' && step.status !== 'skipped') return false;
  if ((step.attempts ?? 0) === 0) return true;
  return confirmsOrdinaryActivity && step.attempts === 1 && step.status === 'completed';
}

/**
 * One update per node per batch (a statement cannot upsert the same row twice): later
 * updates win, field by field, keeping what an earlier one said and a later one leaves out.
 */
function mergeByNode(updates: readonly StepUpdate[]): StepUpdate[] {
  const merged = new Map<string, StepUpdate>();
  for (const update of updates) {
    const earlier = merged.get(update.nodeId);
    if (!earlier) {
      merged.set(update.nodeId, update);
      continue;
    }
    const next: StepUpdate = { ...earlier };
    for (const [key, value] of Object.entries(update)) if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    next.final = earlier.final || update.final;
    merged.delete(update.nodeId);
    merged.set(update.nodeId, next);
  }
  return [...merged.values()];
}
