/** The planner's state and callback types (planner.ts), kept apart so the class file holds only the rules. */
import type { GraphEdge, Json, NodeError } from './types';

export type EdgeState = 'undecided' | 'taken' | 'skipped';

export type NodeState =
  | { status: 'pending' }
  | { status: 'running' }
  | { status: 'completed'; output: Json; reused?: boolean }
  | { status: 'failed'; error: NodeError; handled: boolean }
  | { status: 'skipped' }
  | { status: 'cancelled' }
  | { status: 'compensated'; output: Json };

/** Decides an edge's `when` from its source's output (or error object); may throw. */
export type WhenEvaluator = (edge: GraphEdge, output: Json) => boolean;

/** A `when` that threw: the edge's target fails with this error instead of running. */
export interface EdgeFault {
  edgeIndex: number;
  error: unknown;
}

/**
 * The plan's state, carried across continue-as-new. Outputs nobody will read again (no
 * undecided consumer, not referenced through `nodes`, not a sink) are dropped to keep the
 * payload small; the mirror keeps every output.
 */
export interface PlanSnapshot {
  nodes: Record<string, NodeState>;
  edges: { state: EdgeState; value?: Json }[];
  completionOrder: string[];
}
