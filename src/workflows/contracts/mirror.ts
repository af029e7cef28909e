/**
 * What the workflow tells the Postgres mirror: step and execution updates, batched, and the
 * dead-letter row that goes in the same transaction as the execution's final failure.
 */
import type { ExecutionError } from '../graph/failures';
import type { ExecutionStatus, Json, NodeError, StepStatus } from '../graph/types';

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
  /** The node runs as a local activity (`"local": true`); sent with the first batch only. */
  local?: boolean;
  /** A compensated step: how many attempts its compensation took (Temporal's history). */
  compensationAttempts?: number;
  /** The workflow's word is final: later activity writes never overwrite it. */
  final: boolean;
  /** A map step's items so far. */
  progress?: MapProgress;
}

/** How far a map node got: items in all, completed and failed so far. */
export interface MapProgress {
  total: number;
  completed: number;
  failed: number;
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
  /** The schedule that started the execution (DESIGN §10). */
  scheduleId?: string;
  /** A subgraph's child: the execution whose node started it. */
  parentExecutionId?: string;
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

/**
 * The failure type of a mirror flush the database refuses for good (not an outage): the
 * workflow logs it, writes what it can, and the execution goes on.
 */
export const MIRROR_WRITE_REFUSED = 'MirrorWriteRefused';
