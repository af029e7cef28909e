/**
 * Reading an http node's response: the body up to `maxResponseBytes` (refused while it
 * streams, never buffered past the limit), parsed as JSON or text, and the headers as
 * JSON. A refusal says which limit it hit.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Json } from '../../../workflows/graph/types';
import { httpFailure } from './failures';

type Body = Dispatcher.ResponseData['body'];

export type ResponseMode = 'json' | 'text' | 'auto';

/** How much of an unexpected answer's body an HttpError message quotes. */
export const EXCERPT_CHARS = 500;

function tooLarge(limit: number, target: string, declared?: number): Error {
  const seen = declared !== undefined ? `declares ${declared} bytes` : `passed ${limit} bytes`;
  return httpFailure('HttpResponseTooLarge', `${target}: the response body ${seen}, over maxResponseBytes (${limit}); raise config.maxResponseBytes (at most 100 MiB) or ask for less`, false);
}

/**
 * Stops a body that is not wanted (the rest is not downloaded). undici's stream reports an
 * early destroy as an 'error' event: expected here, so it is listened to and dropped.
 */
export function discard(body: Body): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** The whole body, refused with HttpResponseTooLarge as soon as it passes `limit` bytes. */
export async function readLimited(body: Body, headers: IncomingHttpHeaders, limit: number, target: string): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discard(body);
    throw tooLarge(limit, target, declared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      // Destroying the stream stops the download; what came so far is dropped with it.
      discard(body);
      throw tooLarge(limit, target);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The start of a body for an error message, on one line; the rest is not downloaded. */
export async function readExcerpt(body: Body): Promise<string> {
  const wanted = EXCERPT_CHARS * 4; // bytes enough for EXCERPT_CHARS characters of UTF-8
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= wanted) break;
    }
  } catch {
    // A body that breaks off still leaves its status to report.
  } finally {
    discard(body);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/** The body as the node outputs it: JSON, text, or null when there is none. */
export function parseBody(bytes: Buffer, mode: ResponseMode, contentType: string | undefined, target: string): Json {
  const text = bytes.toString('utf8');
  const asJson = mode === 'json' || (mode === 'auto' && isJsonType(contentType));
  if (!asJson) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    const why = mode === 'json' ? 'config.response is "json"' : `its content-type is ${contentType}`;
    throw httpFailure('HttpInvalidResponse', `${target}: the response body is not JSON although ${why}; set config.response to "text" to take it as text`, false);
  }
}

/** Response headers as JSON: lower-case names; a repeated header is a list. */
export function headersJson(headers: IncomingHttpHeaders): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}
