import type { Queryable } from '../query';

/**
 * Delivery gave up (a day of retries, or the webhook is gone): `failed`. `reason` replaces the
 * last attempt's error; `fallback` is kept only when no attempt recorded one (the retry window
 * closed before any attempt ended), so the receiver's own answer stays what an operator sees.
 */
export async function markNotificationFailed(db: Queryable, id: string, reason: string | null, fallback: string | null = null): Promise<void> {
  await db.query({
    name: 'notifications/mark-failed',
    text: `UPDATE notifications SET status = 'failed', last_error = coalesce($2, last_error, $3) WHERE id = $1 AND status IN ('pending', 'delivering')`,
    values: [id, reason, fallback],
  });
}
