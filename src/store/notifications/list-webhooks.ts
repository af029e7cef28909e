import type { Queryable } from '../query';
import { webhookView, type WebhookRow, type WebhookView } from './webhook-view';

/** The organization's live webhooks, oldest first. */
export async function listWebhooks(db: Queryable, organizationId: string): Promise<WebhookView[]> {
  const found = await db.query<WebhookRow>({
    text: 'SELECT id, url, events, created_at FROM webhooks WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at, id',
    values: [organizationId],
  });
  return found.rows.map(webhookView);
}
