import type { Queryable } from '../query';
import { webhookView, type WebhookRow, type WebhookView } from './webhook-view';

export async function insertWebhook(db: Queryable, webhook: { id: string; organizationId: string; url: string; events: string[]; signingSecretSealed: string }): Promise<WebhookView> {
  const inserted = await db.query<WebhookRow>({
    text: `INSERT INTO webhooks (id, organization_id, url, events, signing_secret_sealed) VALUES ($1, $2, $3, $4::text[], $5)
      RETURNING id, url, events, created_at`,
    values: [webhook.id, webhook.organizationId, webhook.url, webhook.events, webhook.signingSecretSealed],
  });
  return webhookView(inserted.rows[0]);
}
