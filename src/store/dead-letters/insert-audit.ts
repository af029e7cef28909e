import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** One row of a dead letter's audit trail: who did what, and the details. */
export async function insertAudit(db: Queryable, organizationId: string, id: string, action: 'retried' | 'resumed' | 'purged', actor: string, details: Json): Promise<void> {
  await db.query({
    text: 'INSERT INTO dead_letter_audit (dead_letter_id, organization_id, action, actor, details) VALUES ($1, $2, $3, $4, $5::jsonb)',
    values: [id, organizationId, action, actor, JSON.stringify(details)],
  });
}
