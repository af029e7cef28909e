import type { Queryable } from '../query';

export const NOTIFICATION_STATUSES = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A notification as listed (its payload is not: ids and types the receiver already got). */
export interface NotificationView {
  id: string;
  event: string;
  webhookId: string;
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
}

/** The organization's notifications, newest first, optionally of one status. */
export async function listNotifications(db: Queryable, organizationId: string, filter: { status?: NotificationStatus; limit?: number } = {}): Promise<NotificationView[]> {
  const found = await db.query<{ id: string; event: string; webhook_id: string; status: NotificationStatus; attempts: number; created_at: string; delivered_at: string | null; last_error: string | null }>({
    text: `SELECT id, event, webhook_id, status, attempts, created_at, delivered_at, last_error FROM notifications
            WHERE organization_id = $1 AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id LIMIT $3`,
    values: [organizationId, filter.status ?? null, filter.limit ?? 100],
  });
  return found.rows.map((row) => ({
    id: row.id,
    event: row.event,
    webhookId: row.webhook_id,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
  }));
}
