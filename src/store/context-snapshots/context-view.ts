/**
 * Execution context snapshots (DESIGN §12): what the mirror knew of an execution's nodes after
 * each batch of decided nodes. A row keeps only what its batch decided; the context at
 * sequence N is the fold of rows 1..N (a later decision of a node wins).
 */
import type { ExecutionStatus, Json, NodeError, StepStatus } from '../../workflows/graph/types';
import type { RetrievalEventView } from '../knowledge/select-retrieval-events';

/** Step statuses after which a node's word is given: a batch with one of them is snapshotted. */
export const DECIDED_STEP_STATUSES: readonly StepStatus[] = ['completed', 'failed', 'skipped', 'cancelled', 'compensated'];

/** One node as a snapshot holds it. `output` as the step stores it: large values stay `{"$payload": ...}` references. */
export interface ContextNode {
  status: StepStatus;
  nodeType: string;
  output?: Json;
  error?: NodeError;
}

/** One snapshot in an execution's list: when it was taken and which nodes its batch decided. */
export interface ContextSnapshotSummary {
  sequence: number;
  takenAt: string;
  nodeIds: string[];
}

/** An execution's context at one snapshot (sequence 0, takenAt null: none taken yet), with the list of all. */
export interface ExecutionContextView {
  executionId: string;
  /** The execution's status now (whether more snapshots may come). */
  status: ExecutionStatus;
  sequence: number;
  takenAt: string | null;
  context: { input?: Json; nodes: Record<string, ContextNode> };
  snapshots: ContextSnapshotSummary[];
  /** The knowledge retrievals its nodes made, in order (execution_retrieval_events). */
  retrievals: RetrievalEventView[];
}
