import type { Queryable } from '../query';

/** Resolves an open (or retrying) dead letter; false when it was already resolved, so only one resolution is audited. */
export async function markResolved(db: Queryable, organizationId: string, id: string, status: 'retried' | 'purged', actor: string): Promise<boolean> {
  const updated = await db.query({
    text: `UPDATE dead_letters SET status = $3, resolved_at = now(), resolved_by = $4
      WHERE id = $1 AND organization_id = $2 AND status IN ('open', 'retrying')`,
    values: [id, organizationId, status, actor],
  });
  return (updated.rowCount ?? 0) > 0;
}
