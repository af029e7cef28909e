/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. The http node passes it
 * to Temporal as the next retry's delay, in place of the retry policy's backoff.
 */

/** Longer waits are cut to this: a server's typo must not park a node for a year. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** The delay `value` asks for in milliseconds, from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    // Date.parse also reads forms that are not HTTP dates; require a weekday or a GMT mark.
    if (Number.isNaN(at) || !/GMT|UTC|^[A-Za-z]{3},/.test(text)) return undefined;
    ms = at - now;
  }
  // A date already past means "now": the policy's own backoff is the better delay then.
  if (ms <= 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
