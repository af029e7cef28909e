/**
 * The delivery activity: one attempt to post an outbox row to its webhook, signed with the
 * webhook's secret, with the notification id as Wf-Delivery-Id on every attempt (a receiver
 * dedupes on it). Every attempt is recorded in notification_attempts with the status code
 * and latency; a 2xx marks the row delivered, anything else throws so Temporal retries.
 * The post goes through the http node's egress guard (post-signed.ts). A refused address is
 * recorded as the attempt's error and ends the delivery at once (the row becomes `failed`
 * with that error): the URL is the webhook's own, so a day of retries would only repeat the
 * refusal; after fixing the URL (a new webhook) or WF_HTTP_ALLOW, later events are delivered.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { sanitizeMessage } from '../../common/sanitize';
import { PUBLIC_ONLY } from '../../common/egress-allow';
import { DeliveryEgressDenied, DeliveryNetworkError, postSigned } from '../../notifications/post-signed';
import { webhookSecretContext } from '../../notifications/webhook-secret';
import { recordDeliveryAttempt } from '../../store/notifications/record-delivery-attempt';
import { selectDelivery, type Delivery } from '../../store/notifications/select-delivery';
import { DELIVERY_FAILED, NOTIFICATION_GONE } from '../../workflows/contracts/notifications';
import type { ActivityDeps } from '../deps';

/** What the receiver gets: the event, when and where it happened, and its ids-only payload. */
export function deliveryBody(delivery: Delivery): string {
  return JSON.stringify({ id: delivery.id, event: delivery.event, organizationId: delivery.organizationId, createdAt: delivery.createdAt, data: delivery.payload });
}

export async function deliverNotification(deps: ActivityDeps, notificationId: string): Promise<void> {
  const delivery = await selectDelivery(deps.pool, notificationId);
  if (!delivery) throw ApplicationFailure.nonRetryable(`notification "${notificationId}" does not exist`, NOTIFICATION_GONE);
  if (delivery.status === 'delivered' || delivery.status === 'failed') return;
  if (delivery.url === null) throw ApplicationFailure.nonRetryable(`webhook "${delivery.webhookId}" was deleted before the notification was delivered`, NOTIFICATION_GONE);
  // Without the key the secret cannot be opened; retried, so fixing WF_SECRETS_KEY lets deliveries go on.
  if (!deps.cipher) throw ApplicationFailure.retryable('WF_SECRETS_KEY is not set on this worker: webhook signing secrets cannot be opened', 'SecretsKeyMissing');
  const signingSecret = deps.cipher.open(delivery.signingSecretSealed, webhookSecretContext(delivery.organizationId, delivery.webhookId));

  const context = Context.current();
  const attempt = context.info.attempt;
  let statusCode: number | null = null;
  let latencyMs = 0;
  let error: string | null = null;
  let denied = false;
  try {
    const answer = await postSigned({ url: delivery.url, signingSecret, rawBody: deliveryBody(delivery), deliveryId: delivery.id, event: delivery.event, egress: deps.http?.allow ?? PUBLIC_ONLY, signal: context.cancellationSignal });
    statusCode = answer.statusCode;
    latencyMs = answer.latencyMs;
    if (statusCode < 200 || statusCode > 299) error = `receiver answered ${statusCode}`;
  } catch (thrown) {
    if (!(thrown instanceof DeliveryNetworkError) && !(thrown instanceof DeliveryEgressDenied)) throw thrown;
    denied = thrown instanceof DeliveryEgressDenied;
    latencyMs = thrown.latencyMs;
    error = sanitizeMessage(denied ? `egress denied: ${thrown.message}` : thrown.message);
  }
  await recordDeliveryAttempt(deps.pool, { notificationId, attempt, statusCode, latencyMs, error, delivered: error === null });
  // A refusal is DeliveryFailed too, not retried: the workflow marks the row failed, keeping this attempt's error.
  if (error !== null && denied) throw ApplicationFailure.nonRetryable(error, DELIVERY_FAILED);
  if (error !== null) throw ApplicationFailure.retryable(error, DELIVERY_FAILED);
}
