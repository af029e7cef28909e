/**
 * How an http call fails (DESIGN §10), as the ApplicationFailure types an error edge or a
 * `retry.nonRetryable` list can name:
 *
 * - HttpError: a status `expect` does not count as success. Retried for 408, 429 and 5xx
 *   (with Retry-After as the next delay), not for the others.
 * - HttpTimeout: no complete answer within `timeout` (retried).
 * - HttpNetworkError: DNS, connection or protocol failure (retried).
 * - EgressDenied: the guard refused the address (not retried).
 * - HttpResponseTooLarge: the body passed `maxResponseBytes` (not retried).
 * - HttpInvalidResponse: a body that should be JSON is not (not retried).
 * - HttpTooManyRedirects, HttpInvalidRequest: not retried.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { errors as undiciErrors } from 'undici';
import { EgressDeniedError } from './egress-guard';
import { retryAfterMs } from './retry-after';

export const HTTP_FAILURE_TYPES = ['HttpError', 'HttpTimeout', 'HttpNetworkError', 'EgressDenied', 'HttpResponseTooLarge', 'HttpInvalidResponse', 'HttpTooManyRedirects', 'HttpInvalidRequest'] as const;
export type HttpFailureType = (typeof HTTP_FAILURE_TYPES)[number];

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

export function httpFailure(type: HttpFailureType, message: string, retryable: boolean, nextRetryDelayMs?: number): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: !retryable, ...(nextRetryDelayMs !== undefined ? { nextRetryDelay: nextRetryDelayMs } : {}) });
}

/** What a refusal names: the method and the URL without its query (which may hold secrets). */
export function describeTarget(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

export function statusFailure(status: number, target: string, excerpt: string, retryAfter: string | string[] | undefined): ApplicationFailure {
  const said = excerpt ? `: ${excerpt}` : ' (empty body)';
  const message = `${target} answered ${status}${said}`;
  if (!isRetryableStatus(status)) return httpFailure('HttpError', message, false);
  return httpFailure('HttpError', message, true, retryAfterMs(retryAfter));
}

export interface CallSignals {
  cancellation: AbortSignal;
  timeout: AbortSignal;
  timeoutText: string;
  target: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Any error of a call as the failure the node reports; an ApplicationFailure passes through. */
export function callFailure(error: unknown, signals: CallSignals): Error {
  if (error instanceof ApplicationFailure || error instanceof CancelledFailure) return error;
  // The signals say why a call was aborted, whatever shape the client gave its error.
  if (signals.cancellation.aborted) {
    const reason: unknown = signals.cancellation.reason;
    return reason instanceof CancelledFailure ? reason : new CancelledFailure('activity cancelled');
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (signals.timeout.aborted || TIMEOUT_CODES.has(String(code))) {
    return httpFailure('HttpTimeout', `${signals.target}: no complete answer within ${signals.timeoutText} (config.timeout)`, true);
  }
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof EgressDeniedError) return httpFailure('EgressDenied', `${signals.target}: ${detail}`, false);
  if (error instanceof undiciErrors.InvalidArgumentError) return httpFailure('HttpInvalidRequest', `${signals.target}: the request is invalid: ${detail}`, false);
  const codeText = typeof code === 'string' && !detail.includes(code) ? ` (${code})` : '';
  return httpFailure('HttpNetworkError', `${signals.target}: ${detail}${codeText}`, true);
}
