/**
 * The `http` node's activity (DESIGN §10): one request per attempt, through the egress
 * guard, with the node's timeout, heartbeating every second so that a cancellation reaches
 * it (and aborts the request) and a lost worker is noticed. Statuses outside `expect` and
 * transport errors become the failures of ./failures.ts; Temporal retries the retryable ones.
 */
import type { Context } from '@temporalio/activity';
import { PUBLIC_ONLY } from '../../../common/egress-allow';
import { durationMs } from '../../../workflows/graph/durations';
import { DEFAULT_EXPECT, parseStatusSet, statusInSet } from '../../../workflows/graph/http-status-set';
import { DEFAULT_HTTP_TIMEOUT, DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, type HttpConfig } from '../../../workflows/graph/node-types/http';
import type { NodeWork } from '../../node-activity';
import { guardedDispatcher } from './dispatcher';
import { callFailure, describeTarget, statusFailure } from './failures';
import { prepareRequest } from './request';
import { headersJson, parseBody, readExcerpt, readLimited } from './response';
import { send } from './send';

const HEARTBEAT_EVERY_MS = 1000;

function heartbeating(context: Context): () => void {
  // A local activity (a `"local": true` node) cannot heartbeat; its cancellation arrives without one.
  if (context.info.isLocal) return () => undefined;
  // No details: nothing of the request (which may carry secrets) goes into a heartbeat.
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  return () => clearInterval(timer);
}

export const runHttp: NodeWork<HttpConfig> = async (input, context, secrets, deps) => {
  const config = input.config;
  const prepared = await prepareRequest(config, input, secrets);
  const timeoutText = config.timeout ?? DEFAULT_HTTP_TIMEOUT;
  const timeoutMs = durationMs(timeoutText);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([context.cancellationSignal, timeout]);
  let target = describeTarget(prepared.method, prepared.url);
  const stopHeartbeats = heartbeating(context);
  try {
    const follow = config.followRedirects ?? (prepared.method === 'GET' || prepared.method === 'HEAD');
    const answer = await send(prepared, { dispatcher: guardedDispatcher(deps.http?.allow ?? PUBLIC_ONLY), signal, follow, maxRedirects: config.maxRedirects ?? DEFAULT_MAX_REDIRECTS, timeoutMs });
    target = describeTarget(answer.method, answer.url);
    const { statusCode: status, headers, body } = answer.response;
    if (!statusInSet(status, parseStatusSet(config.expect) ?? DEFAULT_EXPECT)) {
      throw statusFailure(status, target, secrets.redactText(await readExcerpt(body)), headers['retry-after']);
    }
    const bytes = await readLimited(body, headers, config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, target);
    const contentType = Array.isArray(headers['content-type']) ? headers['content-type'][0] : headers['content-type'];
    const parsed = answer.method === 'HEAD' ? null : parseBody(bytes, config.response ?? 'auto', contentType, target);
    return { status, headers: headersJson(headers), body: parsed };
  } catch (error) {
    throw callFailure(error, { cancellation: context.cancellationSignal, timeout, timeoutText, target });
  } finally {
    stopHeartbeats();
  }
};
