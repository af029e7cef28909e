/**
 * What the workflow decides itself (skips, inline nodes, failures, cancellations, execution
 * status) reaches the mirror in batches, never one activity per node. Activity-backed nodes
 * write their own step and attempts; the workflow only confirms them at the end, where its
 * word is final (it is what Temporal's history says).
 */
import type { ExecutionUpdate, MirrorBatch, StepUpdate } from './contracts';
import type { GraphPlan, NodeState } from './graph/planner';
import type { NodeRuntime } from './graph/node-types';
import type { StepStatus } from './graph/types';

/** Facts the plan does not hold: attempts, times, whether the activity mirrored itself. */
export interface StepMeta {
  runtime: NodeRuntime;
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
  mirrored?: boolean;
}

export class MirrorBuffer {
  private readonly lastSeen = new Map<string, StepStatus>();
  /** Updates a user should see soon: flushed whenever the workflow would wait anyway. */
  private urgent: StepUpdate[] = [];
  /** Confirmations of what activities already wrote: flushed with the final batch. */
  private deferred: StepUpdate[] = [];

  constructor(
    private readonly executionId: string,
    private readonly organizationId: string,
  ) {}

  /** The first batch: the execution is running and every node is pending. */
  startBatch(plan: GraphPlan, execution: ExecutionUpdate): MirrorBatch {
    const steps = plan.nodes.map<StepUpdate>((node) => ({ nodeId: node.id, nodeType: node.type, status: 'pending', final: false }));
    for (const node of plan.nodes) this.lastSeen.set(node.id, 'pending');
    return { executionId: this.executionId, organizationId: this.organizationId, execution, steps };
  }

  /** Turns every status change since the last call into a step update. */
  observe(plan: GraphPlan, meta: ReadonlyMap<string, StepMeta>, now: string): void {
    for (const node of plan.nodes) {
      const state = plan.state(node.id);
      if (this.lastSeen.get(node.id) === state.status) continue;
      this.lastSeen.set(node.id, state.status);
      const update = this.updateFor(node.id, node.type, state, meta.get(node.id), now);
      if (!update) continue;
      const stepMeta = meta.get(node.id);
      const confirmsActivity = stepMeta?.runtime === 'activity' && state.status === 'completed' && stepMeta.mirrored;
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
        return meta?.runtime === 'activity' ? undefined : { ...base, status: 'running', startedAt: meta?.startedAt ?? now, final: false };
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
      default:
        return { ...base, status: state.status, finishedAt: now, final: true };
    }
  }

  hasUrgent(): boolean {
    return this.urgent.length > 0;
  }

  takeUrgent(): MirrorBatch {
    const steps = this.urgent;
    this.urgent = [];
    return { executionId: this.executionId, organizationId: this.organizationId, steps };
  }

  /** Everything still unsent, with the execution's final state. */
  takeFinal(execution: ExecutionUpdate): MirrorBatch {
    const steps = [...this.urgent, ...this.deferred];
    this.urgent = [];
    this.deferred = [];
    return { executionId: this.executionId, organizationId: this.organizationId, execution, steps };
  }
}
