import type { StepUpdate } from '../../workflows/contracts/mirror';
import type { Queryable } from '../query';

/**
 * The step upsert, $1 execution id, $2 organization, $3 the rows (stepRowsJson). A row marked
 * `final` (the workflow's last word) is only ever overwritten by another final update.
 * `output` is wrapped as {"v": ...} on the way in so that "no output given" (SQL NULL)
 * differs from a JSON null output. Shared with the upsert that also takes a context snapshot
 * (../context-snapshots/upsert-steps-with-snapshot.ts).
 */
export const UPSERT_STEPS_SQL = `INSERT INTO execution_steps AS s (execution_id, organization_id, node_id, node_type, status, attempts,
                                       started_at, finished_at, output, error, reused, local, final, progress)
     SELECT $1, $2, u.node_id, u.node_type, u.status, coalesce(u.attempts, 0), u.started_at, u.finished_at,
            u.output_box -> 'v', u.error, u.reused, u.local, u.final, u.progress
       FROM jsonb_to_recordset($3::jsonb) AS u(node_id text, node_type text, status text, attempts int,
            started_at timestamptz, finished_at timestamptz, output_box jsonb, error jsonb,
            reused bool, local bool, final bool, progress jsonb)
     ON CONFLICT (execution_id, node_id) DO UPDATE SET
       status      = EXCLUDED.status,
       attempts    = greatest(s.attempts, EXCLUDED.attempts),
       started_at  = coalesce(s.started_at, EXCLUDED.started_at),
       finished_at = coalesce(EXCLUDED.finished_at, s.finished_at),
       output      = coalesce(EXCLUDED.output, s.output),
       error       = CASE WHEN EXCLUDED.status = 'completed' THEN NULL ELSE coalesce(EXCLUDED.error, s.error) END,
       reused      = EXCLUDED.reused OR s.reused,
       local       = EXCLUDED.local OR s.local,
       final       = EXCLUDED.final OR s.final,
       progress    = coalesce(EXCLUDED.progress, s.progress),
       updated_at  = now()
     WHERE NOT s.final OR EXCLUDED.final`;

/** The updates as the upsert's $3. */
export function stepRowsJson(steps: readonly StepUpdate[]): string {
  return JSON.stringify(
    steps.map((step) => ({
      node_id: step.nodeId,
      node_type: step.nodeType,
      status: step.status,
      attempts: step.attempts ?? null,
      started_at: step.startedAt ?? null,
      finished_at: step.finishedAt ?? null,
      output_box: step.output ? { v: step.output.value } : null,
      error: step.error ?? null,
      reused: step.reused ?? false,
      local: step.local ?? false,
      final: step.final,
      progress: step.progress ?? null,
    })),
  );
}

/** Writes a batch of step updates in one statement. */
export async function upsertSteps(db: Queryable, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<void> {
  if (steps.length === 0) return;
  await db.query({ name: 'mirror/upsert-steps', text: UPSERT_STEPS_SQL, values: [executionId, organizationId, stepRowsJson(steps)] });
}
