/**
 * Step facts (StepMeta) across continue-as-new. Nothing runs when a run continues, so every
 * node the plan has decided is final: its mirror row is written, and all a later run still
 * reads of it is its attempts (the execution's result, a compensation's step update). Only
 * non-zero attempts are carried, so the carried state grows with activity nodes, not with
 * every node's times.
 */
import type { CarriedState, StepMeta } from './contracts/execution';
import { runtimeOf } from './graph/node-types';
import type { GraphPlan } from './graph/planner';

export function carriedAttempts(meta: ReadonlyMap<string, StepMeta>): Record<string, number> {
  const attempts: Record<string, number> = {};
  for (const [nodeId, step] of meta) if (step.attempts) attempts[nodeId] = step.attempts;
  return attempts;
}

/** The meta a continued run starts with: as carried by older runs, or rebuilt from attempts. */
export function restoredMeta(plan: GraphPlan, carried: Pick<CarriedState, 'meta' | 'attempts'>): Record<string, StepMeta> {
  if (carried.meta) return carried.meta;
  const meta: Record<string, StepMeta> = {};
  for (const node of plan.nodes) {
    if (plan.state(node.id).status === 'pending') continue;
    meta[node.id] = { runtime: runtimeOf(node.type), attempts: carried.attempts?.[node.id] ?? 0 };
  }
  return meta;
}
