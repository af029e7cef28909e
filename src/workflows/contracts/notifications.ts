/** The notification delivery workflow's contract: its id, its input and its retry schedule. */

export const NOTIFICATION_DELIVERY_WORKFLOW = 'notificationDelivery';

/** One delivery workflow per outbox row, never two: the relay and anyone else start it under this id. */
export function notificationWorkflowId(notificationId: string): string {
  return `notify:${notificationId}`;
}

/** How long and how often a delivery is retried (DESIGN §10: with backoff, for a day). */
export interface DeliveryRetry {
  /** First retry after this; doubles each time. Default 5 s (tests use milliseconds). */
  initialIntervalMs: number;
  /** The longest wait between attempts. Default 1 h. */
  maximumIntervalMs: number;
  /** Give up (status failed) once this has passed since the first attempt. Default 24 h. */
  giveUpAfterMs: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { initialIntervalMs: 5000, maximumIntervalMs: 3_600_000, giveUpAfterMs: 86_400_000 };

export interface NotificationDeliveryInput {
  notificationId: string;
  retry: DeliveryRetry;
}

/** Failure types of a delivery attempt; NotificationGone (row or webhook deleted) is not retried. */
export const DELIVERY_FAILED = 'DeliveryFailed';
export const NOTIFICATION_GONE = 'NotificationGone';
