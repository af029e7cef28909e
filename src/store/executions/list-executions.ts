import type { Queryable } from '../query';
import type { ExecutionStatus } from '../../workflows/graph/types';
import { decodeExecutionCursor, encodeExecutionCursor } from './execution-cursor';

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
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null;
}

export interface ExecutionFilter {
  status?: ExecutionStatus;
  graphId?: string;
  /** From the previous page's `nextCursor` (the client refuses any other: InvalidRequestError). */
  cursor?: string;
  /** 1 to 200; 50 when omitted. */
  limit?: number;
}

/**
 * Newest first, keyset-paged on (created_at, id) so pages never skip or repeat rows. The
 * cursor keeps created_at to the microsecond (`cursor_at`): the ISO strings rows are read
 * as stop at milliseconds, and a cursor cut to them skipped the rows created later in the
 * same millisecond as a page's last (10 a millisecond is an ordinary burst).
 */
export async function listExecutions(db: Queryable, organizationId: string, filter: ExecutionFilter): Promise<ExecutionPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const after = filter.cursor === undefined ? undefined : decodeExecutionCursor(filter.cursor);
  const found = await db.query<{ id: string; graph_id: string; graph_version: number; status: ExecutionStatus; retry_of: string | null; created_at: string; cursor_at: string; started_at: string | null; finished_at: string | null }>({
    name: 'executions/list-executions',
    text: `SELECT id, graph_id, graph_version, status, retry_of, created_at, started_at, finished_at,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
      FROM executions
      WHERE organization_id = $1
        AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR graph_id = $3)
        AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::text))
      ORDER BY created_at DESC, id DESC
      LIMIT $6`,
    values: [organizationId, filter.status ?? null, filter.graphId ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
  });
  const rows = found.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    executions: rows.map((row) => ({
      executionId: row.id,
      graphId: row.graph_id,
      graphVersion: row.graph_version,
      status: row.status,
      retryOf: row.retry_of,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    })),
    nextCursor: found.rows.length > limit && last ? encodeExecutionCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}
