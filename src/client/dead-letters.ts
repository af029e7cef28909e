/** SQL of dead letters: listing, reading, claiming and resolving them, and their audit trail. */
import type { Queryable } from '../db/query';
import type { ExecutionError } from '../workflows/graph/failures';
import type { Json } from '../workflows/graph/types';

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

interface Row {
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

const COLUMNS = 'id, execution_id, graph_id, graph_version, failed_nodes, error, created_at, status, retry_execution_id, resolved_at, resolved_by';

function view(row: Row): DeadLetterView {
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

export interface DeadLetterFilter {
  graphId?: string;
  /** Only dead letters at most this many milliseconds old. */
  maxAgeMs?: number;
  /** Include retried and purged ones too. */
  includeResolved?: boolean;
  limit?: number;
}

export async function listDeadLetters(db: Queryable, organizationId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterView[]> {
  const found = await db.query<Row>(
    `SELECT ${COLUMNS} FROM dead_letters
      WHERE organization_id = $1
        AND ($2::text IS NULL OR graph_id = $2)
        AND ($3::bigint IS NULL OR created_at >= now() - make_interval(secs => $3::bigint / 1000.0))
        AND ($4::boolean OR status IN ('open', 'retrying'))
      ORDER BY created_at DESC
      LIMIT $5`,
    [organizationId, filter.graphId ?? null, filter.maxAgeMs ?? null, filter.includeResolved ?? false, filter.limit ?? 500],
  );
  return found.rows.map(view);
}

export async function readDeadLetter(db: Queryable, organizationId: string, id: string): Promise<DeadLetterView | undefined> {
  const found = await db.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1 AND organization_id = $2`, [id, organizationId]);
  return found.rows[0] ? view(found.rows[0]) : undefined;
}

/**
 * Claims an open dead letter for a retry with the given new execution id. A letter already
 * claimed (a retry that died half-way) keeps its first new id, so a second try starts the
 * same execution and never two.
 */
export async function claimForRetry(db: Queryable, organizationId: string, id: string, newExecutionId: string): Promise<string | undefined> {
  const claimed = await db.query<{ retry_execution_id: string }>(
    `UPDATE dead_letters SET status = 'retrying', retry_execution_id = coalesce(retry_execution_id, $3)
      WHERE id = $1 AND organization_id = $2 AND status IN ('open', 'retrying')
      RETURNING retry_execution_id`,
    [id, organizationId, newExecutionId],
  );
  return claimed.rows[0]?.retry_execution_id;
}

export async function markResolved(db: Queryable, organizationId: string, id: string, status: 'retried' | 'purged', actor: string): Promise<boolean> {
  const updated = await db.query(
    `UPDATE dead_letters SET status = $3, resolved_at = now(), resolved_by = $4
      WHERE id = $1 AND organization_id = $2 AND status IN ('open', 'retrying')`,
    [id, organizationId, status, actor],
  );
  return (updated.rowCount ?? 0) > 0;
}

export async function recordAudit(db: Queryable, organizationId: string, id: string, action: 'retried' | 'resumed' | 'purged', actor: string, details: Json): Promise<void> {
  await db.query('INSERT INTO dead_letter_audit (dead_letter_id, organization_id, action, actor, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    id,
    organizationId,
    action,
    actor,
    JSON.stringify(details),
  ]);
}

/** Outputs of the steps an execution completed (not compensated), in completion order: the seed of a resume. */
export async function completedOutputs(db: Queryable, organizationId: string, executionId: string): Promise<{ nodeId: string; output: Json }[]> {
  const found = await db.query<{ node_id: string; output: Json }>(
    `SELECT node_id, output FROM execution_steps
      WHERE execution_id = $1 AND organization_id = $2 AND status = 'completed'
      ORDER BY finished_at NULLS LAST, node_id`,
    [executionId, organizationId],
  );
  return found.rows.map((row) => ({ nodeId: row.node_id, output: row.output }));
}

/** The original execution's graph reference and input. */
export async function executionOrigin(db: Queryable, organizationId: string, executionId: string): Promise<{ graphId: string; graphVersion: number; input: Json } | undefined> {
  const found = await db.query<{ graph_id: string; graph_version: number; input: Json }>(
    'SELECT graph_id, graph_version, input FROM executions WHERE id = $1 AND organization_id = $2',
    [executionId, organizationId],
  );
  const row = found.rows[0];
  return row ? { graphId: row.graph_id, graphVersion: row.graph_version, input: row.input } : undefined;
}
