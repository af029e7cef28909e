import type { Queryable } from '../query';

/** What a resolution reports (dead_letter.resolved). */
export interface ResolvedDeadLetter {
  id: string;
  executionId: string;
  graphId: string;
  graphVersion: number;
}

/** Resolves an open (or retrying) dead letter; undefined when it was already resolved, so only one resolution is audited and notified. */
export async function markResolved(db: Queryable, organizationId: string, id: string, status: 'retried' | 'purged', actor: string): Promise<ResolvedDeadLetter | undefined> {
  const updated = await db.query<{ id: string; execution_id: string; graph_id: string; graph_version: number }>({
    text: `UPDATE dead_letters SET status = $3, resolved_at = now(), resolved_by = $4
      WHERE id = $1 AND organization_id = $2 AND status IN ('open', 'retrying')
      RETURNING id, execution_id, graph_id, graph_version`,
    values: [id, organizationId, status, actor],
  });
  const row = updated.rows[0];
  return row && { id: row.id, executionId: row.execution_id, graphId: row.graph_id, graphVersion: row.graph_version };
}
