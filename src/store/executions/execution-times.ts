import type { ExecutionStatus } from '../../workflows/graph/types';
import type { Queryable } from '../query';

export interface ExecutionTimes {
  id: string;
  status: ExecutionStatus;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Status and queue/start/finish times of the given executions, in no particular order (any organization). */
export async function executionTimes(db: Queryable, executionIds: readonly string[]): Promise<ExecutionTimes[]> {
  const found = await db.query<{ id: string; status: ExecutionStatus; queued_at: string | null; started_at: string | null; finished_at: string | null }>({
    text: 'SELECT id, status, queued_at, started_at, finished_at FROM executions WHERE id = ANY($1)',
    values: [executionIds],
  });
  return found.rows.map((row) => ({ id: row.id, status: row.status, queuedAt: row.queued_at, startedAt: row.started_at, finishedAt: row.finished_at }));
}
