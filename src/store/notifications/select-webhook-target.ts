import type { Queryable } from '../query';

/** Where and how to post to a live webhook: its URL and sealed signing secret. */
export interface WebhookTarget {
  id: string;
  organizationId: string;
  url: string;
  signingSecretSealed: string;
}

export async function selectWebhookTarget(db: Queryable, organizationId: string, id: string): Promise<WebhookTarget | undefined> {
  const found = await db.query<{ id: string; organization_id: string; url: string; signing_secret_sealed: string }>({
    name: 'notifications/select-webhook-target',
    text: 'SELECT id, organization_id, url, signing_secret_sealed FROM webhooks WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL',
    values: [id, organizationId],
  });
  const row = found.rows[0];
  return row && { id: row.id, organizationId: row.organization_id, url: row.url, signingSecretSealed: row.signing_secret_sealed };
}
