import type { Queryable } from '../query';

/**
 * One delivery attempt and what it did to the notification, in one statement: the attempt
 * row (idempotent on its number, so a retried write is harmless), the count, the last error,
 * and `delivered` (with its time) or `delivering`. A delivered or failed notification stays so.
 */
export async function recordDeliveryAttempt(db: Queryable, attempt: { notificationId: string; attempt: number; statusCode: number | null; latencyMs: number; error: string | null; delivered: boolean }): Promise<void> {
  await db.query({
    name: 'notifications/record-delivery-attempt',
    text: `WITH attempt AS (
             INSERT INTO notification_attempts (notification_id, attempt, status_code, latency_ms, error) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (notification_id, attempt) DO UPDATE SET status_code = EXCLUDED.status_code, latency_ms = EXCLUDED.latency_ms, error = EXCLUDED.error, at = now()
           )
           UPDATE notifications SET
             attempts = greatest(attempts, $2),
             last_error = CASE WHEN $6 THEN last_error ELSE $5 END,
             status = CASE WHEN $6 THEN 'delivered' ELSE 'delivering' END,
             delivered_at = CASE WHEN $6 THEN now() ELSE delivered_at END
           WHERE id = $1 AND status IN ('pending', 'delivering')`,
    values: [attempt.notificationId, attempt.attempt, attempt.statusCode, attempt.latencyMs, attempt.error, attempt.delivered],
  });
}
