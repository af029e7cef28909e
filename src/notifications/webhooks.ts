/**
 * Webhook subscriptions as the API and the CLI make them: URL and events checked, a signing
 * secret generated, sealed with WF_SECRETS_KEY and shown once. Listing never shows secrets.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { deniedRange } from '../activities/nodes/http/egress-guard';
import { normalizeHost } from '../common/egress-allow';
import { InvalidRequestError, NotFoundError } from '../client/errors';
import type { SecretCipher } from '../secrets/cipher';
import type { Queryable } from '../store/query';
import { deleteWebhook as deleteWebhookRow } from '../store/notifications/delete-webhook';
import { insertWebhook } from '../store/notifications/insert-webhook';
import type { WebhookView } from '../store/notifications/webhook-view';
import type { ValidationProblem } from '../workflows/graph/types';
import { EVENT_RULE, isSubscribableEvent } from './events';
import { generateSigningSecret } from './signature';
import { webhookSecretContext } from './webhook-secret';

export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_WEBHOOK_EVENTS = 32;

/** A new webhook with its signing secret: the only time the secret is shown. */
export type CreatedWebhook = WebhookView & { signingSecret: string };

/** WF_SECRETS_KEY is not set: signing secrets cannot be sealed (CLI exit 2, HTTP 400 naming the variable). */
export class SecretsKeyMissingError extends InvalidRequestError {
  constructor() {
    super('webhooks need WF_SECRETS_KEY (base64 of 32 bytes) to seal their signing secrets; it is not set', [{ path: '$', message: 'WF_SECRETS_KEY is not set' }]);
  }
}

/**
 * Address ranges no webhook receiver can live at, refused when the URL names them literally.
 * Loopback and private addresses pass: a worker's WF_HTTP_ALLOW may admit them (npm start
 * admits loopback). Host names are not resolved here: DNS may change before a delivery, so
 * the egress guard checks every address when a delivery connects.
 */
const NEVER_A_RECEIVER = new Set(['cloud metadata', 'unspecified', 'multicast or reserved']);

function unreachableHostProblem(hostname: string): string | undefined {
  const host = normalizeHost(hostname);
  if (isIP(host) === 0) return undefined;
  const range = deniedRange(host);
  return range !== undefined && NEVER_A_RECEIVER.has(range) ? `${host} is a ${range} address, never a webhook receiver` : undefined;
}

/** Every problem of a URL and event list, with JSON paths under `at` ($.body for the API, $ for the CLI). */
export function webhookProblems(url: string, events: readonly string[], at = '$'): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ path: `${at}.url`, message: 'not a URL' });
  }
  if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push({ path: `${at}.url`, message: `must be http or https, not ${parsed.protocol.replace(/:$/, '')}` });
  if (parsed && (parsed.username || parsed.password)) problems.push({ path: `${at}.url`, message: 'must not carry credentials: the signature authenticates the sender' });
  const unreachable = parsed ? unreachableHostProblem(parsed.hostname) : undefined;
  if (unreachable) problems.push({ path: `${at}.url`, message: unreachable });
  if (url.length > MAX_WEBHOOK_URL_LENGTH) problems.push({ path: `${at}.url`, message: `at most ${MAX_WEBHOOK_URL_LENGTH} characters` });
  if (events.length === 0) problems.push({ path: `${at}.events`, message: 'subscribe to at least one event' });
  if (events.length > MAX_WEBHOOK_EVENTS) problems.push({ path: `${at}.events`, message: `at most ${MAX_WEBHOOK_EVENTS} events` });
  events.forEach((event, i) => {
    if (!isSubscribableEvent(event)) problems.push({ path: `${at}.events[${i}]`, message: `unknown event ${JSON.stringify(event)}: ${EVENT_RULE}` });
  });
  return problems;
}

export async function createWebhook(db: Queryable, cipher: SecretCipher | undefined, organizationId: string, request: { url: string; events: string[] }, at = '$'): Promise<CreatedWebhook> {
  const events = [...new Set(request.events.map((event) => event.trim()))];
  const problems = webhookProblems(request.url, events, at);
  if (problems.length > 0) throw new InvalidRequestError('webhook is invalid', problems);
  if (!cipher) throw new SecretsKeyMissingError();
  const id = `wh_${randomBytes(8).toString('hex')}`;
  const signingSecret = generateSigningSecret();
  const view = await insertWebhook(db, { id, organizationId, url: request.url, events, signingSecretSealed: cipher.seal(signingSecret, webhookSecretContext(organizationId, id)) });
  return { ...view, signingSecret };
}

/** Deletes the organization's webhook; NotFoundError for an unknown id or another organization's. */
export async function deleteWebhook(db: Queryable, organizationId: string, id: string): Promise<void> {
  if (!(await deleteWebhookRow(db, organizationId, id))) throw new NotFoundError('webhook', id);
}
