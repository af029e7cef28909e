/**
 * What is read of a plan's decided nodes from outside it: the `nodes` variable of expressions,
 * the execution's default output, the skipped nodes. Derived from the plan's public state only, so they live
 * apart from the planner's rules (planner.ts).
 */
import type { GraphPlan } from './planner';
import type { Json, NodeError } from './types';

/** What expressions see of a decided node through `nodes`. */
export interface NodeVariable {
  status: string;
  output: Json;
  error?: NodeError;
}

/** One entry of the `nodes` variable; undefined while the node is pending or running (or unknown: it reads as pending). */
export function nodeVariable(plan: GraphPlan, id: string): NodeVariable | undefined {
  const state = plan.state(id);
  if (state.status === 'pending' || state.status === 'running') return undefined;
  if (state.status === 'completed') return { status: state.status, output: state.output };
  if (state.status === 'failed') return { status: state.status, output: null, error: state.error };
  return { status: state.status, output: null };
}

/** The `nodes` variable of expressions: every decided node with its status and output. */
export function nodesVariable(plan: GraphPlan): Record<string, NodeVariable> {
  const out: Record<string, NodeVariable> = {};
  for (const node of plan.nodes) {
    const entry = nodeVariable(plan, node.id);
    if (entry) out[node.id] = entry;
  }
  return out;
}

/**
 * Output by default (no `settings.output`): the single completed sink's output, or an
 * object keyed by sink id when several completed; skipped or failed sinks are left out.
 */
export function defaultOutput(plan: GraphPlan): Json {
  const completed = plan.sinks().filter((id) => plan.state(id).status === 'completed');
  if (completed.length === 0) return null;
  const outputOf = (id: string): Json => (plan.state(id) as { output: Json }).output;
  if (completed.length === 1) return outputOf(completed[0]);
  const out: Record<string, Json> = {};
  for (const id of completed) out[id] = outputOf(id);
  return out;
}

/** The nodes marked skipped so far (skips propagate when `ready()` runs), in document order. */
export function skippedIds(plan: GraphPlan): string[] {
  return plan.nodes.filter((node) => plan.state(node.id).status === 'skipped').map((node) => node.id);
}
