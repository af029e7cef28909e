/**
 * The contract between workflows and everything that talks to them (client, CLI, API,
 * worker): names, ids, argument and result types. Type-only imports elsewhere keep the
 * workflow sandbox clean; the constants here are plain values, safe on both sides.
 */
import type { ExecutionError } from './graph/failures';
import type { PlanSnapshot } from './graph/planner';
import type { ExecutionStatus, GraphDocument, Json, NodeError, StepStatus } from './graph/types';
import type { StepMeta } from './mirror-buffer';

export const TASK_QUEUE = 'wf-engine';
export const GRAPH_WORKFLOW = 'graphExecution';
export const DEFAULT_ORGANIZATION = 'default';

/** Search attributes registered on the Temporal namespace (DESIGN §8). */
export const SEARCH_ATTRIBUTES = {
  organizationId: 'OrganizationId',
  graphId: 'GraphId',
  graphVersion: 'GraphVersion',
} as const;

export interface GraphExecutionArgs {
  executionId: string;
  organizationId: string;
  graph: GraphDocument;
  input: Json;
  /** State carried from the previous run when the execution continued as new. */
  carried?: CarriedState;
  /**
   * Continue as new once history has this many events, even before Temporal suggests it
   * (tests use it to exercise continuation on small graphs).
   */
  continueAsNewAtEvents?: number;
}

/** What a continued run needs from the one before it. */
export interface CarriedState {
  plan: PlanSnapshot;
  meta: Record<string, StepMeta>;
  startedAt: string;
  continuations: number;
}

export interface StepSummary {
  status: StepStatus;
  attempts: number;
  reused?: boolean;
}

export interface GraphExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  output: Json;
  error: ExecutionError | null;
  steps: Record<string, StepSummary>;
}

/** Input of every activity-backed node. */
export interface NodeActivityInput {
  executionId: string;
  organizationId: string;
  nodeId: string;
  nodeType: string;
  /** Config with its expressions already evaluated by the workflow. */
  config: Json;
  input: Json;
  /** Step updates the workflow decided, written by the activity in its first transaction. */
  mirror?: StepUpdate[];
}

export interface NodeActivityResult {
  output: Json;
  attempt: number;
  /** False when the activity could not write its step to Postgres; the workflow then does. */
  mirrored: boolean;
}

/** Details carried by a node activity's ApplicationFailure. */
export interface NodeFailureDetails {
  attempt: number;
}

/** A step change decided or confirmed by the workflow, flushed to the mirror in batches. */
export interface StepUpdate {
  nodeId: string;
  nodeType: string;
  status: StepStatus;
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
  /** Present only when the mirror must (re)write the output. */
  output?: { value: Json };
  error?: NodeError | null;
  reused?: boolean;
  /** The workflow's word is final: later activity writes never overwrite it. */
  final: boolean;
}

export interface ExecutionUpdate {
  status: ExecutionStatus;
  graphId: string;
  graphVersion: number;
  workflowId: string;
  runId: string;
  input?: Json;
  output?: Json;
  error?: ExecutionError | null;
  startedAt?: string;
  finishedAt?: string;
}

export interface MirrorBatch {
  executionId: string;
  organizationId: string;
  execution?: ExecutionUpdate;
  steps: StepUpdate[];
}
