/**
 * What every worker process runs beside its Temporal worker: the outbox relay (every second)
 * and, every ~10 s, its heartbeat row and the worker health check. They follow the worker's
 * life: they start with it and stop once it leaves RUNNING (shutdown, failure), so nothing
 * needs its own stop call. Each loop waits for its previous round, so a slow database never
 * piles rounds up.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { Logger } from '../common/logger';
import { sanitizeError } from '../common/sanitize';
import { upsertWorkerHeartbeat } from '../store/notifications/upsert-worker-heartbeat';
import { DEFAULT_DELIVERY_RETRY, type DeliveryRetry } from '../workflows/contracts/notifications';
import { relayPendingNotifications } from './relay';
import { checkWorkerHealth, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_UNHEALTHY_AFTER_MS } from './worker-health';

/** How a worker relays and delivers notifications; every field has a production default. */
export interface NotificationOptions {
  /** How often the relay polls the outbox. @default 1000 */
  relayIntervalMs?: number;
  /** How often this worker writes its heartbeat and checks the others'. @default 10000 */
  heartbeatIntervalMs?: number;
  /** No heartbeat on a task queue for this long raises worker.unhealthy. @default 60000 */
  unhealthyAfterMs?: number;
  /** The delivery workflows' retry schedule (tests shorten it). @default 5 s doubling, at most 1 h apart, for 24 h */
  retry?: Partial<DeliveryRetry>;
}

const DEFAULT_RELAY_INTERVAL_MS = 1000;

export function attachNotificationServices(worker: Worker, deps: { pool: Pool; temporal: Client; taskQueue: string; logger: Logger }, options: NotificationOptions = {}): void {
  const identity = `${worker.options.identity}-${randomBytes(3).toString('hex')}`;
  const retry = { ...DEFAULT_DELIVERY_RETRY, ...options.retry };
  const relay = (): Promise<unknown> => relayPendingNotifications({ pool: deps.pool, temporal: deps.temporal, taskQueue: deps.taskQueue, retry });
  const heartbeat = async (): Promise<void> => {
    await upsertWorkerHeartbeat(deps.pool, identity, deps.taskQueue);
    const unhealthy = await checkWorkerHealth(deps.pool, options.unhealthyAfterMs ?? DEFAULT_UNHEALTHY_AFTER_MS);
    if (unhealthy.length > 0) deps.logger.warn({ taskQueues: unhealthy }, 'no worker heartbeat: worker.unhealthy raised');
  };
  repeatWhileRunning(worker, options.relayIntervalMs ?? DEFAULT_RELAY_INTERVAL_MS, relay, (error) => deps.logger.warn({ error: sanitizeError(error) }, 'notification relay round failed'));
  repeatWhileRunning(worker, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS, heartbeat, (error) => deps.logger.warn({ error: sanitizeError(error) }, 'worker heartbeat failed'));
}

/** Runs `round` every `everyMs` while the worker is starting or running; a failed round is logged and the next one tries again. */
function repeatWhileRunning(worker: Worker, everyMs: number, round: () => Promise<unknown>, onError: (error: unknown) => void): void {
  const alive = (): boolean => worker.getState() === 'INITIALIZED' || worker.getState() === 'RUNNING';
  const next = (): void => {
    if (!alive()) return;
    setTimeout(() => {
      if (!alive()) return;
      const work = worker.getState() === 'RUNNING' ? round() : Promise.resolve();
      work.catch(onError).finally(next);
    }, everyMs).unref();
  };
  next();
}
