import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** A notification with what its delivery needs: the webhook's URL and sealed secret (null URL: the webhook was deleted). */
export interface Delivery {
  id: string;
  organizationId: string;
  webhookId: string;
  event: string;
  payload: Json;
  status: 'pending' | 'delivering' | 'delivered' | 'failed';
  createdAt: string;
  url: string | null;
  signingSecretSealed: string;
}

export async function selectDelivery(db: Queryable, id: string): Promise<Delivery | undefined> {
  const found = await db.query<{ id: string; organization_id: string; webhook_id: string; event: string; payload: Json; status: Delivery['status']; created_at: string; url: string | null; signing_secret_sealed: string }>({
    name: 'notifications/select-delivery',
    text: `SELECT n.id, n.organization_id, n.webhook_id, n.event, n.payload, n.status, n.created_at,
                  CASE WHEN w.deleted_at IS NULL THEN w.url END AS url, w.signing_secret_sealed
             FROM notifications n JOIN webhooks w ON w.id = n.webhook_id
            WHERE n.id = $1`,
    values: [id],
  });
  const row = found.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organization_id,
    webhookId: row.webhook_id,
    event: row.event,
    payload: row.payload,
    status: row.status,
    createdAt: row.created_at,
    url: row.url,
    signingSecretSealed: row.signing_secret_sealed,
  };
}
