import type { Queryable } from '../query';

/** One attempt of a step as the console shows it: its error is the stored (sanitized) one. */
export interface StepAttemptView {
  attempt: number;
  /** `run`, or `compensate` for an attempt of the node's compensation. */
  kind: 'run' | 'compensate';
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  startedAt: string | null;
  finishedAt: string | null;
  error: { type?: string; message?: string } | null;
}

/** Attempts of one step of an execution of the organization, runs before compensations, in order. */
export async function listStepAttempts(db: Queryable, organizationId: string, executionId: string, nodeId: string): Promise<StepAttemptView[]> {
  const found = await db.query<{ attempt: number; kind: StepAttemptView['kind']; status: StepAttemptView['status']; started_at: string | null; finished_at: string | null; error: StepAttemptView['error'] }>({
    name: 'executions/list-step-attempts',
    text: `SELECT attempt, kind, status, started_at, finished_at, error FROM execution_step_attempts
      WHERE execution_id = $1 AND organization_id = $2 AND node_id = $3
      ORDER BY kind DESC, attempt`,
    values: [executionId, organizationId, nodeId],
  });
  return found.rows.map((row) => ({ attempt: row.attempt, kind: row.kind, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at, error: row.error }));
}
