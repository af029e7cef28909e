/**
 * The request an http node sends, from its rendered config: URL with the query, headers
 * (auth and the Idempotency-Key included) and the body, secrets resolved. Resolved values
 * exist only here and on the wire; the scope remembers what was derived from them (a Basic
 * credential) so that nothing returned or thrown carries one.
 */
import type { HttpConfig } from '../../../workflows/graph/node-types/http';
import { isSecretRef, type SecretRef } from '../../../workflows/graph/secret-ref';
import type { Json } from '../../../workflows/graph/types';
import type { NodeActivityInput } from '../../../workflows/contracts/node-activity';
import type { SecretScope } from '../../secret-scope';

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Lower-case names of headers whose value came from a secret: dropped on a redirect to another origin. */
  secretHeaders: ReadonlySet<string>;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * The same on every attempt of the node in this execution, so a receiver that dedupes on it
 * does the work once. A compensation is another call (it undoes the first): its own key.
 */
export function idempotencyKey(input: Pick<NodeActivityInput, 'executionId' | 'nodeId' | 'phase'>): string {
  const base = `${input.executionId}:${input.nodeId}`;
  return input.phase === 'compensate' ? `${base}:compensate` : base;
}

/** A config string or the value of the secret it refers to. */
function text(value: string | SecretRef, secrets: SecretScope): Promise<string> {
  return typeof value === 'string' ? Promise.resolve(value) : secrets.secret(value.$secret);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

async function authorization(auth: NonNullable<HttpConfig['auth']>, secrets: SecretScope): Promise<string> {
  if ('bearer' in auth) return `Bearer ${await text(auth.bearer, secrets)}`;
  const username = await text(auth.username, secrets);
  const password = await text(auth.password, secrets);
  const credential = Buffer.from(`${username}:${password}`).toString('base64');
  // The encoded pair contains neither value as it is: redact it as a whole.
  secrets.remember(credential);
  secrets.remember(`${username}:${password}`);
  return `Basic ${credential}`;
}

async function withQuery(url: string, query: HttpConfig['query'], secrets: SecretScope): Promise<URL> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) target.searchParams.append(name, String(await secrets.resolve(item as Json)));
  }
  return target;
}

export async function prepareRequest(config: HttpConfig, input: Pick<NodeActivityInput, 'executionId' | 'nodeId' | 'phase'>, secrets: SecretScope): Promise<PreparedRequest> {
  const method = config.method ?? 'GET';
  const url = await withQuery(config.url, config.query, secrets);
  const headers: Record<string, string> = {};
  const secretHeaders = new Set<string>();
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (isSecretRef(value)) secretHeaders.add(name.toLowerCase());
    headers[name] = await text(value, secrets);
  }
  if (config.auth) {
    headers.authorization = await authorization(config.auth, secrets);
    secretHeaders.add('authorization');
  }
  if (!hasHeader(headers, 'user-agent')) headers['user-agent'] = 'wf-engine';
  headers[IDEMPOTENCY_HEADER] = idempotencyKey(input);

  let body: string | undefined;
  if (config.body !== undefined) {
    body = JSON.stringify(await secrets.resolve(config.body as Json));
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  } else if (config.bodyText !== undefined) {
    body = await text(config.bodyText, secrets);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
  }
  return { method, url, headers, secretHeaders, ...(body !== undefined ? { body } : {}) };
}
