import type { EngineEvent } from '../../notifications/events';
import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/**
 * The outbox write: one `notifications` row per live webhook of the organization subscribed
 * to `event` (or to `*`), never another organization's. Callers run it in the transaction
 * that writes the fact itself. The id hashes event, fact and webhook, so writing the same
 * fact again (a retried mirror flush) adds nothing. Returns the new rows' ids.
 */
export async function enqueueNotifications(db: Queryable, notice: { organizationId: string; event: EngineEvent; factId: string; payload: Json }): Promise<string[]> {
  const inserted = await db.query<{ id: string }>({
    name: 'notifications/enqueue',
    text: `INSERT INTO notifications (id, organization_id, webhook_id, event, payload)
      SELECT ${notificationIdSql('$2', '$3', 'w.id')}, w.organization_id, w.id, $2, $4::jsonb
        FROM webhooks w
       WHERE w.organization_id = $1 AND w.deleted_at IS NULL AND ($2 = ANY (w.events) OR '*' = ANY (w.events))
      ON CONFLICT (id) DO NOTHING
      RETURNING id`,
    values: [notice.organizationId, notice.event, notice.factId, JSON.stringify(notice.payload)],
  });
  return inserted.rows.map((row) => row.id);
}

/** `ntf_` and 32 hex digits of SHA-256(event | fact | webhook): the same fact, the same id. */
export function notificationIdSql(event: string, factId: string, webhookId: string): string {
  return `'ntf_' || left(encode(sha256(convert_to(${event} || '|' || ${factId} || '|' || ${webhookId}, 'UTF8')), 'hex'), 32)`;
}
