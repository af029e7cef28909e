import type { Queryable } from '../query';

/** This worker process is alive on its task queue (every ~10 s). */
export async function upsertWorkerHeartbeat(db: Queryable, identity: string, taskQueue: string): Promise<void> {
  await db.query({
    name: 'notifications/upsert-worker-heartbeat',
    text: `INSERT INTO worker_heartbeats (identity, task_queue) VALUES ($1, $2)
      ON CONFLICT (identity) DO UPDATE SET last_seen_at = now(), task_queue = EXCLUDED.task_queue`,
    values: [identity, taskQueue],
  });
}
