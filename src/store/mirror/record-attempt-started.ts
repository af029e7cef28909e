import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';

/** Where the attempt's values sit among a statement's parameters ($n). */
export interface AttemptStartedParams {
  execution: string;
  organization: string;
  node: string;
  attempt: string;
  nodeType: string;
}

/**
 * The attempt row (a CTE named `attempt`) and the step shown running after it, unless the
 * workflow already decided the step. Shared with start-attempt-with-carried-steps.ts, which
 * writes a node activity's carried updates in the same statement; `from` is a relation the
 * step's insert reads first (there, to lock the rows in every writer's order).
 */
export function attemptStartedSql(p: AttemptStartedParams, from?: string): { attemptCte: string; stepInsert: string } {
  return {
    attemptCte: `attempt AS (
       INSERT INTO execution_step_attempts (execution_id, node_id, attempt, organization_id, status, started_at)
       VALUES (${p.execution}, ${p.node}, ${p.attempt}, ${p.organization}, 'running', now())
       ON CONFLICT (execution_id, node_id, kind, attempt) DO UPDATE SET status = 'running', started_at = now(), finished_at = NULL, error = NULL
       WHERE NOT EXISTS (SELECT 1 FROM execution_steps f
                          WHERE f.execution_id = EXCLUDED.execution_id AND f.node_id = EXCLUDED.node_id AND f.final)
     )`,
    stepInsert: `INSERT INTO execution_steps AS s (execution_id, organization_id, node_id, node_type, status, attempts, started_at)
     SELECT ${p.execution}, ${p.organization}, ${p.node}, ${p.nodeType}, 'running', ${p.attempt}, now()${from ? ` FROM ${from}` : ''}
     ON CONFLICT (execution_id, node_id) DO UPDATE SET
       status = 'running', attempts = greatest(s.attempts, EXCLUDED.attempts),
       started_at = coalesce(s.started_at, EXCLUDED.started_at), updated_at = now()
     WHERE NOT s.final`,
  };
}

const ALONE = attemptStartedSql({ execution: '$1', node: '$2', attempt: '$3::int', organization: '$4', nodeType: '$5' });

/** An attempt starts: its row, and the step shown running (unless the workflow already decided it). */
export async function recordAttemptStarted(db: Queryable, key: AttemptKey): Promise<void> {
  await db.query({
    name: 'mirror/record-attempt-started',
    text: `WITH ${ALONE.attemptCte}
     ${ALONE.stepInsert}`,
    values: [key.executionId, key.nodeId, key.attempt, key.organizationId, key.nodeType],
  });
}
