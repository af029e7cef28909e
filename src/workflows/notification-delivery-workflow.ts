/**
 * One workflow per outbox row (id `notify:<notification id>`): it calls the delivery activity
 * until the receiver answers 2xx, with Temporal's exponential backoff, and gives up after a
 * day (DESIGN §10). Each attempt records itself; this workflow only marks the row failed
 * when retries run out. Its history is a handful of events whatever the number of attempts:
 * retries happen inside one activity scheduling.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { DELIVERY_FAILED, NOTIFICATION_GONE, type NotificationDeliveryInput } from './contracts/notifications';

type Activities = ReturnType<typeof createActivities>;

/** The attempt's own limit is 10 s (src/notifications/post-signed.ts); this leaves room for the database writes around it. */
const ATTEMPT_TIMEOUT = '30s';

export async function notificationDelivery(input: NotificationDeliveryInput): Promise<'delivered' | 'failed'> {
  const { deliverNotification } = proxyActivities<Activities>({
    startToCloseTimeout: ATTEMPT_TIMEOUT,
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalMs,
      nonRetryableErrorTypes: [NOTIFICATION_GONE],
    },
  });
  // Marking failed must happen even while Postgres is down: retried until it answers.
  const { markNotificationFailed } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });
  try {
    await deliverNotification(input.notificationId);
    return 'delivered';
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    // The last attempt's error is already on the row: a gone webhook replaces it; the retry
    // window closing (a timeout, or retries that would pass it) keeps it, and says so only when
    // no attempt recorded one.
    const gone = cause instanceof ApplicationFailure && cause.type === NOTIFICATION_GONE;
    const failedForGood = cause instanceof ApplicationFailure && cause.type === DELIVERY_FAILED;
    await markNotificationFailed(input.notificationId, gone ? cause.message : null, gone || failedForGood ? null : 'gave up: retries ran out');
    return 'failed';
  }
}
