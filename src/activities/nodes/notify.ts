/**
 * The `notify` node's activity: posts its body, signed, to an organization webhook (its
 * signing secret) or to `url` (the signing secret from `secret`). Wf-Delivery-Id is
 * `<executionId>:<nodeId>` on every attempt, so a receiver that dedupes on it acts once.
 * Network errors, 5xx and 429 are retryable (the node's `retry` decides how often); any other
 * non-2xx fails with HttpError, not retried. The post goes through the http node's egress
 * guard (post-signed.ts): a URL that resolves to a loopback, private or metadata address not
 * in WF_HTTP_ALLOW fails with EgressDenied, not retried. Output: `{status, deliveryId, event}`.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { notifyEvent } from '../../notifications/events';
import { PUBLIC_ONLY } from '../../common/egress-allow';
import { DeliveryEgressDenied, DeliveryNetworkError, postSigned, safeOrigin } from '../../notifications/post-signed';
import { webhookSecretContext } from '../../notifications/webhook-secret';
import { selectWebhookTarget } from '../../store/notifications/select-webhook-target';
import type { NotifyConfig } from '../../workflows/graph/node-types/notify';
import type { Json } from '../../workflows/graph/types';
import type { ActivityDeps } from '../deps';
import type { NodeWork } from '../node-activity';
import type { SecretScope } from '../secret-scope';

export const runNotify: NodeWork<NotifyConfig> = async (input, context, secrets, deps) => {
  const config = input.config;
  const event = notifyEvent(config.event);
  const deliveryId = `${input.executionId}:${input.nodeId}`;
  const target = await signingTarget(config, input.organizationId, secrets, deps);
  const rawBody = JSON.stringify(await secrets.resolve((config.body ?? {}) as Json));
  let statusCode: number;
  try {
    statusCode = (await postSigned({ url: target.url, signingSecret: target.signingSecret, rawBody, deliveryId, event, egress: deps.http?.allow ?? PUBLIC_ONLY, signal: context.cancellationSignal })).statusCode;
  } catch (error) {
    if (error instanceof DeliveryEgressDenied) throw ApplicationFailure.nonRetryable(error.message, 'EgressDenied');
    if (error instanceof DeliveryNetworkError) throw ApplicationFailure.retryable(error.message, 'NetworkError');
    throw error;
  }
  if (statusCode >= 200 && statusCode <= 299) return { status: statusCode, deliveryId, event };
  const message = `${safeOrigin(target.url)} answered ${statusCode}`;
  if (statusCode === 429 || statusCode >= 500) throw ApplicationFailure.retryable(message, 'HttpError');
  throw ApplicationFailure.nonRetryable(message, 'HttpError');
};

async function signingTarget(config: NotifyConfig, organizationId: string, secrets: SecretScope, deps: ActivityDeps): Promise<{ url: string; signingSecret: string }> {
  if (config.url !== undefined && config.secret !== undefined) return { url: config.url, signingSecret: await secrets.secret(config.secret.$secret) };
  const webhookId = config.webhook ?? '';
  const webhook = await selectWebhookTarget(deps.pool, organizationId, webhookId);
  if (!webhook) throw ApplicationFailure.nonRetryable(`webhook "${webhookId}" is not one of this organization's (wf webhook list)`, 'WebhookNotFound');
  if (!deps.cipher) throw ApplicationFailure.nonRetryable('WF_SECRETS_KEY is not set on this worker: the webhook signing secret cannot be opened', 'SecretsKeyMissing');
  const signingSecret = deps.cipher.open(webhook.signingSecretSealed, webhookSecretContext(organizationId, webhook.id));
  // Never in an output or an error, like a resolved secret.
  secrets.remember(signingSecret);
  return { url: webhook.url, signingSecret };
}
