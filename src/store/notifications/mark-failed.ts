import type { Queryable } from '../query';

/** Delivery gave up (a day of retries, or the webhook is gone): `failed`, keeping the last attempt's error unless a reason is given. */
export async function markNotificationFailed(db: Queryable, id: string, reason: string | null): Promise<void> {
  await db.query({
    name: 'notifications/mark-failed',
    text: `UPDATE notifications SET status = 'failed', last_error = coalesce($2, last_error) WHERE id = $1 AND status IN ('pending', 'delivering')`,
    values: [id, reason],
  });
}
