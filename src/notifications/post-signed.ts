/**
 * One signed POST (outbox deliveries and the notify node): the raw JSON body, the signature
 * headers of signature.ts, a 10 s limit on the whole exchange, no redirects followed. The
 * answer's body is read and dropped (a receiver's text is not ours to store); only its status
 * and the latency remain. It goes through the http node's guarded dispatcher (the same agent
 * and the same WF_HTTP_ALLOW exceptions), so a webhook URL reaches no loopback, private or
 * metadata address: a receiver's address is checked after DNS, on every connection.
 */
import { request } from 'undici';
import { guardedDispatcher } from '../activities/nodes/http/dispatcher';
import { EgressDeniedError } from '../activities/nodes/http/egress-guard';
import type { EgressAllowList } from '../common/egress-allow';
import { signedHeaders } from './signature';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface PostAnswer {
  statusCode: number;
  latencyMs: number;
}

/** A network error or timeout: no answer came. The message names what went wrong, never the secret. */
export class DeliveryNetworkError extends Error {
  override readonly name = 'DeliveryNetworkError';
  constructor(
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
  }
}

/** The egress guard refused the receiver's address: no connection was opened, and retrying changes nothing until WF_HTTP_ALLOW does. */
export class DeliveryEgressDenied extends Error {
  override readonly name = 'DeliveryEgressDenied';
  constructor(
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
  }
}

export interface PostSignedOptions {
  url: string;
  signingSecret: string;
  rawBody: string;
  deliveryId: string;
  event: string;
  /** The worker's egress exceptions (ActivityDeps.http; PUBLIC_ONLY when none). */
  egress: EgressAllowList;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function postSigned(options: PostSignedOptions): Promise<PostAnswer> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const headers = signedHeaders({ signingSecret: options.signingSecret, rawBody: options.rawBody, deliveryId: options.deliveryId, event: options.event });
  const started = performance.now();
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const answer = await request(options.url, { method: 'POST', headers, body: options.rawBody, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, dispatcher: guardedDispatcher(options.egress) });
    await answer.body.dump();
    return { statusCode: answer.statusCode, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    if (error instanceof EgressDeniedError) throw new DeliveryEgressDenied(`${safeOrigin(options.url)}: ${error.message}`, latencyMs);
    const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.name) + `: ${error.message}` : String(error);
    throw new DeliveryNetworkError(`no answer from ${safeOrigin(options.url)}: ${reason}`, latencyMs);
  }
}

/** The URL's origin and path, without userinfo or query (which may hold credentials). */
export function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
