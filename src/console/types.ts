/**
 * The API's answers as the console reads them (see src/api/responses.ts): written out here
 * because browser code is checked without the server's Node types.
 */
export type Role = 'viewer' | 'operator' | 'admin' | 'submitter';
export const EXECUTION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface Identity {
  organizationId: string;
  keyId: string;
  role: Role;
}

export interface ConsoleConfig {
  temporalNamespace: string;
  temporalUiUrl: string;
}

export interface ExecutionSummary {
  executionId: string;
  graphId: string;
  graphVersion: number;
  status: ExecutionStatus;
  retryOf: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ExecutionPage {
  executions: ExecutionSummary[];
  nextCursor: string | null;
}

export interface ErrorInfo {
  type?: string;
  message?: string;
  nodeId?: string;
  attempts?: number;
  node?: { nodeId: string; type: string; message: string; attempts: number };
  child?: { executionId: string; error: { type: string; message: string } };
}

export interface StepView {
  status: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error?: ErrorInfo;
  reused?: boolean;
  local?: boolean;
  progress?: { total: number; completed: number; failed: number };
}

export interface ExecutionView {
  executionId: string;
  graphId: string;
  graphVersion: number;
  status: ExecutionStatus;
  output: unknown;
  error: ErrorInfo | null;
  retryOf?: string;
  scheduleId?: string;
  parentExecutionId?: string;
  children?: { nodeId: string; executionId: string; graphId: string; graphVersion: number; status: ExecutionStatus }[];
  queuedAt?: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: Record<string, StepView>;
}

export interface GraphNode {
  id: string;
  type: string;
  name?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  on?: 'success' | 'error' | 'always';
  when?: string;
}

export interface GraphDocument {
  id: string;
  version: number;
  name?: string;
  nodes: GraphNode[];
  edges?: GraphEdge[];
}

export interface StepAttempt {
  attempt: number;
  kind: 'run' | 'compensate';
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { type?: string; message?: string } | null;
}

export interface DeadLetter {
  id: string;
  executionId: string;
  graphId: string;
  graphVersion: number;
  failedNodes: string[];
  error: ErrorInfo | null;
  createdAt: string;
  status: 'open' | 'retrying' | 'retried' | 'purged';
  retryExecutionId: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** GET /api/v1/dlq/:id only: the failed execution's input. */
  input?: unknown;
}

export interface QueueInUse {
  ref: string;
  running: number;
  queued: number;
}

export interface QueueStats {
  ref: string;
  maxConcurrent: number | null;
  active: number;
  queued: number;
  oldestQueuedAt: string | null;
}

export interface StartedExecution {
  executionId: string;
  status: ExecutionStatus;
}
