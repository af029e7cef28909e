import type { Queryable } from '../query';

/**
 * Ends a subscription; false when the organization has no such live webhook. The row stays
 * (deleted_at) because its notifications name it; nothing is enqueued for it afterwards.
 */
export async function deleteWebhook(db: Queryable, organizationId: string, id: string): Promise<boolean> {
  const updated = await db.query({
    text: 'UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL',
    values: [id, organizationId],
  });
  return (updated.rowCount ?? 0) > 0;
}
