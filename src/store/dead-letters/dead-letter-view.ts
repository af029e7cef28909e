import type { ExecutionError } from '../../workflows/graph/failures';

/** A dead letter as `wf dlq list --json` prints it (DESIGN §7), plus its state. */
export interface DeadLetterView {
  id: string;
  executionId: string;
  graphId: string;
  graphVersion: number;
  failedNodes: string[];
  error: ExecutionError;
  createdAt: string;
  status: 'open' | 'retrying' | 'retried' | 'purged';
  retryExecutionId: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** The row of a dead letter, as the SELECTs of list-dead-letters.ts and read-dead-letter.ts return it. */
export interface DeadLetterRow {
  id: string;
  execution_id: string;
  graph_id: string;
  graph_version: number;
  failed_nodes: string[];
  error: ExecutionError;
  created_at: string;
  status: DeadLetterView['status'];
  retry_execution_id: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
}

export const DEAD_LETTER_COLUMNS = 'id, execution_id, graph_id, graph_version, failed_nodes, error, created_at, status, retry_execution_id, resolved_at, resolved_by';

export function deadLetterView(row: DeadLetterRow): DeadLetterView {
  return {
    id: row.id,
    executionId: row.execution_id,
    graphId: row.graph_id,
    graphVersion: row.graph_version,
    failedNodes: row.failed_nodes,
    error: row.error,
    createdAt: row.created_at,
    status: row.status,
    retryExecutionId: row.retry_execution_id,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}
