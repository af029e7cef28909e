/**
 * Sends a prepared request through the guarded dispatcher and follows redirects itself, so
 * that each hop is checked like the first (the connector guards every new connection), hops
 * are counted against `maxRedirects`, and credentials never travel to another origin.
 */
import { request, type Dispatcher } from 'undici';
import { describeTarget, httpFailure } from './failures';
import type { PreparedRequest } from './request';
import { discard } from './response';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped on a hop to another origin, besides the headers that carried secrets. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface SendOptions {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Follow 3xx answers that carry a Location; otherwise they are the answer. */
  follow: boolean;
  maxRedirects: number;
  /** undici's own waits for headers and between body chunks: the node's timeout. */
  timeoutMs: number;
}

export interface Answer {
  response: Dispatcher.ResponseData;
  /** The URL that gave the answer (the last hop's). */
  url: URL;
  method: string;
}

function withoutHeaders(headers: Record<string, string>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.has(name.toLowerCase())));
}

/** The request of the next hop (RFC 9110 §15.4): 303, and 301/302 after a POST, become a GET without body. */
function nextHop(current: PreparedRequest, status: number, location: URL): PreparedRequest {
  const toGet = status === 303 ? current.method !== 'HEAD' : (status === 301 || status === 302) && current.method === 'POST';
  const dropped = new Set<string>();
  if (location.origin !== current.url.origin) for (const name of [...CREDENTIAL_HEADERS, ...current.secretHeaders]) dropped.add(name);
  if (toGet) for (const name of ['content-type', 'content-encoding', 'content-language']) dropped.add(name);
  const headers = withoutHeaders(current.headers, dropped);
  const body = toGet ? undefined : current.body;
  return { method: toGet ? 'GET' : current.method, url: location, headers, secretHeaders: current.secretHeaders, ...(body !== undefined ? { body } : {}) };
}

function locationOf(response: Dispatcher.ResponseData, base: URL): URL | undefined {
  const header = response.headers.location;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

export async function send(prepared: PreparedRequest, options: SendOptions): Promise<Answer> {
  let current = prepared;
  for (let hops = 0; ; hops++) {
    const response = await request(current.url, {
      method: current.method as Dispatcher.HttpMethod,
      headers: current.headers,
      body: current.body,
      dispatcher: options.dispatcher,
      signal: options.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const location = options.follow && REDIRECT_STATUSES.has(response.statusCode) ? locationOf(response, current.url) : undefined;
    if (!location) return { response, url: current.url, method: current.method };
    discard(response.body);
    const target = describeTarget(current.method, current.url);
    if (location.protocol !== 'http:' && location.protocol !== 'https:') {
      throw httpFailure('HttpInvalidRequest', `${target} redirected to a ${location.protocol} URL; only http and https are followed`, false);
    }
    if (hops >= options.maxRedirects) {
      throw httpFailure('HttpTooManyRedirects', `${target} redirected again after ${options.maxRedirects} redirects (config.maxRedirects)`, false);
    }
    current = nextHop(current, response.statusCode, location);
  }
}
