/**
 * worker.unhealthy (DESIGN §10): each worker process upserts its heartbeat row every ~10 s;
 * a check (in every worker and in every API process) records a task queue with no heartbeat
 * for 60 s as one outage and enqueues its notifications in the same statement
 * (src/store/notifications/record-worker-outages.ts).
 */
import type { Pool } from 'pg';
import type { Logger } from '../common/logger';
import { sanitizeError } from '../common/sanitize';
import { recordWorkerOutages } from '../store/notifications/record-worker-outages';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
export const DEFAULT_UNHEALTHY_AFTER_MS = 60_000;

/** Records outages now; the task queues that became unhealthy. */
export async function checkWorkerHealth(pool: Pool, unhealthyAfterMs: number = DEFAULT_UNHEALTHY_AFTER_MS): Promise<string[]> {
  return recordWorkerOutages(pool, unhealthyAfterMs / 1000);
}

/** Checks every `everyMs` until stopped (the API's monitor: it notices when no worker runs at all). */
export function startWorkerHealthMonitor(pool: Pool, logger: Logger, options: { everyMs?: number; unhealthyAfterMs?: number } = {}): { stop(): void } {
  const timer = setInterval(() => {
    checkWorkerHealth(pool, options.unhealthyAfterMs).then(
      (queues) => {
        if (queues.length > 0) logger.warn({ taskQueues: queues }, 'no worker heartbeat: worker.unhealthy raised');
      },
      (error: unknown) => logger.warn({ error: sanitizeError(error) }, 'worker health check failed'),
    );
  }, options.everyMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
