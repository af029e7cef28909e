/**
 * An OpenAI-compatible embedder (DESIGN §12): `POST {url}/embeddings` with
 * `{"model", "input": [texts]}` and `Authorization: Bearer <key>`, answered by
 * `{"data": [{"index", "embedding"}]}`. The request goes through the http node's guarded
 * dispatcher, so the endpoint obeys the same egress rules (WF_HTTP_ALLOW) as any http node;
 * the key is the organization's secret, read at call time and never put in a message.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { guardedDispatcher } from '../activities/nodes/http/dispatcher';
import { discard, readLimited } from '../activities/nodes/http/response';
import { EgressDeniedError } from '../activities/nodes/http/egress-guard';
import type { EgressAllowList } from '../common/egress-allow';
import { safeOrigin } from '../notifications/post-signed';
import { l2Normalize, type Embedder, type ProviderEmbedderSpec } from './embedder';

/** Texts per request (OpenAI takes up to 2,048 inputs; smaller batches keep bodies modest). */
export const PROVIDER_BATCH = 96;
export const PROVIDER_TIMEOUT_MS = 30_000;
/** A batch's answer is a few MiB at most (96 texts of 4,096 numbers): anything far larger is refused unread. */
export const PROVIDER_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Why a provider call failed; `retryable` for network errors, 429 and 5xx. */
export class EmbedderError extends Error {
  override readonly name = 'EmbedderError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly type: 'EmbedderUnavailable' | 'EmbedderRefused' | 'EgressDenied' | 'EmbedderAnswerInvalid',
  ) {
    super(message);
  }
}

export interface ProviderAccess {
  /** The organization's secret `name` (the API key). */
  apiKey(name: string): Promise<string>;
  egress: EgressAllowList;
}

export function providerEmbedder(spec: ProviderEmbedderSpec, access: ProviderAccess): Embedder {
  const endpoint = `${spec.url.replace(/\/+$/, '')}/embeddings`;
  const where = safeOrigin(endpoint);
  const call = async (texts: readonly string[], key: string, signal?: AbortSignal): Promise<number[][]> => {
    const timeout = AbortSignal.timeout(PROVIDER_TIMEOUT_MS);
    let answer;
    try {
      answer = await request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: spec.model, input: texts }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headersTimeout: PROVIDER_TIMEOUT_MS,
        bodyTimeout: PROVIDER_TIMEOUT_MS,
        dispatcher: guardedDispatcher(access.egress),
      });
    } catch (error) {
      if (error instanceof EgressDeniedError) throw new EmbedderError(`${where}: ${error.message}`, false, 'EgressDenied');
      const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'error';
      throw new EmbedderError(`no answer from the embedder at ${where} (${reason})`, true, 'EmbedderUnavailable');
    }
    if (answer.statusCode !== 200) {
      // Its body is not read: an error page may quote the key back (some providers do).
      discard(answer.body);
      const retryable = answer.statusCode === 429 || answer.statusCode >= 500;
      throw new EmbedderError(`the embedder at ${where} answered ${answer.statusCode}`, retryable, retryable ? 'EmbedderUnavailable' : 'EmbedderRefused');
    }
    return vectorsOf(await readAnswer(answer.body, answer.headers, where), texts.length, spec.dimensions, where);
  };
  return {
    dimensions: spec.dimensions,
    async embed(texts, signal) {
      const key = await access.apiKey(spec.apiKeySecret);
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += PROVIDER_BATCH) vectors.push(...(await call(texts.slice(start, start + PROVIDER_BATCH), key, signal)));
      return vectors;
    },
  };
}

/** The answer's body, refused past PROVIDER_MAX_ANSWER_BYTES; a connection lost meanwhile is worth another try. */
async function readAnswer(body: Dispatcher.ResponseData['body'], headers: IncomingHttpHeaders, where: string): Promise<string> {
  try {
    return (await readLimited(body, headers, PROVIDER_MAX_ANSWER_BYTES, where)).toString('utf8');
  } catch (error) {
    if ((error as { type?: unknown }).type === 'HttpResponseTooLarge') throw new EmbedderError(`the embedder at ${where} answered more than ${PROVIDER_MAX_ANSWER_BYTES} bytes`, false, 'EmbedderAnswerInvalid');
    const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'error';
    throw new EmbedderError(`the embedder at ${where} broke off its answer (${reason})`, true, 'EmbedderUnavailable');
  }
}

/** The answer's vectors in input order, checked: one per text, each of the corpus's size. */
function vectorsOf(body: string, count: number, dimensions: number, where: string): number[][] {
  const invalid = (why: string) => new EmbedderError(`the embedder at ${where} answered ${why}`, false, 'EmbedderAnswerInvalid');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('with a body that is not JSON');
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length !== count) throw invalid(`${Array.isArray(data) ? data.length : 'no'} embeddings for ${count} texts`);
  const vectors = new Array<number[]>(count);
  data.forEach((entry: { index?: unknown; embedding?: unknown }, position) => {
    const index = typeof entry?.index === 'number' ? entry.index : position;
    const embedding = entry?.embedding;
    if (!Array.isArray(embedding) || embedding.length !== dimensions || !embedding.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw invalid(`an embedding that is not ${dimensions} numbers`);
    }
    if (index < 0 || index >= count || vectors[index]) throw invalid('embeddings with wrong indexes');
    vectors[index] = l2Normalize(embedding as number[]);
  });
  return vectors;
}
