/**
 * Request rates, with @fastify/rate-limit's counters (in memory, per API process): every
 * request counts against its client address and, when it presents a key of our format,
 * against that key's id, each up to ApiLimits.requestsPerMinute. Refused keys (401) count
 * against the address too, with the much lower authFailuresPerMinute: past it, every
 * request from that address answers 429 until its minute ends, so guessing keys stops
 * early (300 guesses once all got a plain 401). A 429 carries `Retry-After` (seconds) and
 * the usual `{error: {type: 'RateLimited', message}}`. /health is never limited.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseApiKey } from '../common/keys';
import type { ApiLimits } from '../config';
import { HttpError } from './errors';
import { CODEC_SIGN_IN_PATH } from './routes/codec-sign-in';

const MINUTE_MS = 60_000;
/** Counters kept per limiter (least recently used dropped first). */
const TRACKED = 20_000;
const UNLIMITED_ROUTES = new Set(['/health']);

/** The key id of a presented key of our format: unverified, only a name for its counter. */
function presentedKeyId(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? parseApiKey(match[1])?.keyId : undefined;
}

/** A key in the Authorization header, or typed into the codec sign-in form. */
function presentedKey(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || (request.method === 'POST' && request.routeOptions.url === CODEC_SIGN_IN_PATH);
}

function tooMany(reply: { header(name: string, value: number): unknown }, ttlSeconds: number, what: string): HttpError {
  const seconds = Math.max(1, ttlSeconds);
  reply.header('retry-after', seconds);
  return new HttpError(429, 'RateLimited', `too many ${what}; retry in ${seconds} s`);
}

export async function registerRateLimits(app: FastifyInstance, limits: Pick<ApiLimits, 'requestsPerMinute' | 'authFailuresPerMinute'>): Promise<void> {
  // Registered for its counters only: the hooks below combine three of them.
  await app.register(fastifyRateLimit, { global: false });
  const common = { timeWindow: MINUTE_MS, cache: TRACKED };
  const perAddress = app.createRateLimit({ ...common, max: limits.requestsPerMinute, keyGenerator: (request) => request.ip });
  const perKey = app.createRateLimit({ ...common, max: limits.requestsPerMinute, keyGenerator: (request) => presentedKeyId(request) ?? '' });
  const authFailures = app.createRateLimit({ ...common, max: limits.authFailuresPerMinute, keyGenerator: (request) => request.ip });

  app.addHook('onRequest', async (request, reply) => {
    if (UNLIMITED_ROUTES.has(request.routeOptions.url ?? '')) return;
    const failures = await authFailures(request, { increment: false });
    if (!failures.isAllowed && failures.remaining === 0) throw tooMany(reply, failures.ttlInSeconds, 'refused API keys from this address');
    const address = await perAddress(request);
    if (!address.isAllowed && address.isExceeded) throw tooMany(reply, address.ttlInSeconds, 'requests from this address');
    if (presentedKeyId(request) === undefined) return;
    const key = await perKey(request);
    if (!key.isAllowed && key.isExceeded) throw tooMany(reply, key.ttlInSeconds, 'requests with this API key');
  });

  // Counted when the refusal is sent; a request without any key is not a guess.
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode === 401 && presentedKey(request)) await authFailures(request);
  });
}
