/**
 * The contract between workflows and everything that talks to them (client, CLI, API,
 * worker): names, ids, argument and result types. Type-only imports elsewhere keep the
 * workflow sandbox clean; the constants here are plain values, safe on both sides.
 */
import type { ExecutionError } from './graph/failures';
import type { PlanSnapshot } from './graph/planner';
import type { ExecutionStatus, GraphDocument, Json, NodeError, StepStatus } from './graph/types';
import type { StepMeta } from './mirror-buffer';

import { defineQuery, defineSignal } from '@temporalio/workflow';

export const TASK_QUEUE = 'wf-engine';
export const GRAPH_WORKFLOW = 'graphExecution';
export const DEAD_LETTER_WORKFLOW = 'deadLetter';
export const SLOTS_WORKFLOW = 'concurrencySlots';

/** Workflow id of the FIFO slot holder of one concurrency key in one organization. */
export function slotsWorkflowId(organizationId: string, key: string): string {
  return `slots:${organizationId}:${key}`;
}

export interface SlotRequest {
  executionId: string;
  /** The graph's current `settings.concurrency.max`; the latest one applies to the next grants. */
  max: number;
  requestedAt: string;
}

export interface SlotsArgs {
  organizationId: string;
  key: string;
  /** Carried across continue-as-new. */
  state?: SlotsState;
}

export interface SlotsState {
  max: number;
  active: { executionId: string; grantedAt: string }[];
  queue: SlotRequest[];
  /** Executions already released, so a late duplicate request is not granted again. */
  released: string[];
}

export interface QueueStats {
  ref: string;
  maxConcurrent: number | null;
  active: number;
  queued: number;
  oldestQueuedAt: string | null;
}

/** To the slots workflow: queue me (idempotent per execution). */
export const acquireSlotSignal = defineSignal<[SlotRequest]>('acquireSlot');
/** To the slots workflow: I am done (or cancelled while queued). */
export const releaseSlotSignal = defineSignal<[{ executionId: string }]>('releaseSlot');
/** To an execution: your slot is granted (at the slots workflow's time, so starts order as grants do). */
export const slotGrantedSignal = defineSignal<[{ grantedAt: string }]>('slotGranted');
export const queueStatsQuery = defineQuery<QueueStats>('queueStats');

/** Workflow id of the dead letter of an execution: one per failed execution, never two. */
export function deadLetterId(executionId: string): string {
  return `dlq-${executionId}`;
}
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
  /** The execution this one retries (from a dead letter). */
  retryOf?: string;
  /**
   * Resume: outputs of the nodes the original completed, in completion order. They are
   * recorded as completed with `reused: true` and do not run again.
   */
  seed?: { nodeId: string; output: Json }[];
  /** Overrides `settings.deadline` (a duration like "10m"). */
  deadline?: string;
  /** The concurrency key, evaluated once by the client from `settings.concurrency.key`. */
  concurrencyKey?: string;
  /**
   * Continue as new once history has this many events, even before Temporal suggests it
   * (tests use it to exercise continuation on small graphs).
   */
  continueAsNewAtEvents?: number;
}

/** What a continued run needs from the one before it. */
export interface CarriedState {
  plan: PlanSnapshot;
  /** Absolute deadline (ISO), fixed when the execution started. */
  deadlineAt?: string;
  /** Signals received but not yet taken by a `wait` node. */
  signals?: Record<string, Json[]>;
  /** The execution holds its concurrency slot (it must release it at the end). */
  holdsSlot?: boolean;
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
  /** `compensate` runs the node's compensation: its attempts are recorded apart, its step is left to the workflow. */
  phase?: 'run' | 'compensate';
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
  retryOf?: string;
  deadlineAt?: string;
  queuedAt?: string;
  concurrencyKey?: string;
}

/** The dead-letter row, written in the same transaction as the execution's final failure. */
export interface DeadLetterRecord {
  id: string;
  failedNodes: string[];
  error: ExecutionError;
}

export interface MirrorBatch {
  executionId: string;
  organizationId: string;
  execution?: ExecutionUpdate;
  steps: StepUpdate[];
  deadLetter?: DeadLetterRecord;
}

export interface DeadLetterArgs {
  deadLetterId: string;
  executionId: string;
  organizationId: string;
}

/** How a dead letter was resolved; sent by the client to end the dead-letter workflow. */
export interface DeadLetterResolution {
  action: 'retried' | 'resumed' | 'purged';
  by: string;
  retryExecutionId?: string;
}

export const resolveDeadLetterSignal = defineSignal<[DeadLetterResolution]>('resolve');
