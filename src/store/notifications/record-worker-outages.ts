import type { Queryable } from '../query';
import { notificationIdSql } from './enqueue-notifications';

/**
 * Records every task queue whose newest heartbeat is older than `staleSeconds` as one outage
 * and, in the same statement, enqueues `worker.unhealthy` for every subscribed webhook of
 * every organization (workers serve them all). The outage's key is the queue and its last
 * heartbeat, so however many checkers run, one period is recorded and notified once; the
 * next outage (after a heartbeat came back) has a newer last heartbeat and a new key.
 * Returns the task queues that became unhealthy now.
 */
export async function recordWorkerOutages(db: Queryable, staleSeconds: number): Promise<string[]> {
  const recorded = await db.query<{ task_queue: string }>({
    name: 'notifications/record-worker-outages',
    text: `WITH stale AS (
             SELECT task_queue, max(last_seen_at) AS last_seen_at FROM worker_heartbeats GROUP BY task_queue
             HAVING max(last_seen_at) < now() - make_interval(secs => $1)
           ), outage AS (
             INSERT INTO worker_outages (task_queue, last_seen_at) SELECT task_queue, last_seen_at FROM stale
             ON CONFLICT DO NOTHING
             RETURNING task_queue, last_seen_at, detected_at
           ), notified AS (
             INSERT INTO notifications (id, organization_id, webhook_id, event, payload)
             SELECT ${notificationIdSql(`'worker.unhealthy'`, `o.task_queue || '@' || o.last_seen_at::text`, 'w.id')}, w.organization_id, w.id, 'worker.unhealthy',
                    jsonb_build_object('taskQueue', o.task_queue, 'lastHeartbeatAt', o.last_seen_at, 'detectedAt', o.detected_at)
               FROM outage o CROSS JOIN webhooks w
              WHERE w.deleted_at IS NULL AND ('worker.unhealthy' = ANY (w.events) OR '*' = ANY (w.events))
             ON CONFLICT (id) DO NOTHING
           )
           SELECT task_queue FROM outage`,
    values: [staleSeconds],
  });
  return recorded.rows.map((row) => row.task_queue);
}
