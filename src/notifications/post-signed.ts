/**
 * One signed POST (outbox deliveries and the notify node): the raw JSON body, the signature
 * headers of signature.ts, a 10 s limit on the whole exchange, no redirects followed. The
 * answer's body is read and dropped (a receiver's text is not ours to store); only its status
 * and the latency remain.
 */
import { request } from 'undici';
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

export async function postSigned(options: { url: string; signingSecret: string; rawBody: string; deliveryId: string; event: string; timeoutMs?: number; signal?: AbortSignal }): Promise<PostAnswer> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const headers = signedHeaders({ signingSecret: options.signingSecret, rawBody: options.rawBody, deliveryId: options.deliveryId, event: options.event });
  const started = performance.now();
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const answer = await request(options.url, { method: 'POST', headers, body: options.rawBody, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await answer.body.dump();
    return { statusCode: answer.statusCode, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
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
