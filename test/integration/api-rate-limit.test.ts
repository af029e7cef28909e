/**
 * Request rates (README "Configuration"): per API key and per client address, and far
 * stricter for refused keys: 300 guessed keys once all got a plain 401 in 2.7 s. A 429 has
 * `Retry-After` and the usual error body; /health is never limited. Built with small limits
 * (the defaults are generous enough for the test suite hammering from one address).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import { loadApiLimits } from '../../src/config';
import { auth } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';

const ORG = `rate-${randomBytes(3).toString('hex')}`;
const LIMITS = { requestsPerMinute: 40, authFailuresPerMinute: 10 };

let engine: TestEngine;
let app: FastifyInstance;
let goodKey: string;

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  app = await buildApi({ client: engine.client, pool: engine.pool }, { limits: LIMITS });
  await app.ready();
  await engine.pool.query('INSERT INTO organizations (id, name) VALUES ($1, $1)', [ORG]);
  goodKey = (await createApiKey(engine.pool, ORG, 'viewer')).apiKey;
});

afterAll(async () => {
  await app?.close();
  await engine?.stop();
});

const guessedKey = (): string => `wfk_key_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;

function get(url: string, key: string | undefined, remoteAddress: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: auth(key), remoteAddress });
}

function expectRateLimited(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.json()).toEqual({ error: { type: 'RateLimited', message: expect.stringMatching(/^too many .*; retry in \d+ s$/) } });
}

describe('guessed keys', () => {
  const attacker = '203.0.113.7';

  test('300 guessed keys from one address: 429 with Retry-After once 10 were refused, never 300 plain 401s', async () => {
    const statuses: number[] = [];
    let firstLimited: LightMyRequestResponse | undefined;
    for (let i = 0; i < 300; i++) {
      const response = await get('/api/v1/executions', guessedKey(), attacker);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) firstLimited ??= response;
    }
    expect(statuses.slice(0, LIMITS.authFailuresPerMinute)).toEqual(Array(LIMITS.authFailuresPerMinute).fill(401));
    expect(statuses.slice(LIMITS.authFailuresPerMinute)).toEqual(Array(300 - LIMITS.authFailuresPerMinute).fill(429));
    expectRateLimited(firstLimited!);
    expect(firstLimited!.json().error.message).toContain('refused API keys');
  });

  test('the locked-out address stays locked out even with a good key (it cannot test keys); /health still answers', async () => {
    expectRateLimited(await get('/api/v1/executions', goodKey, attacker));
    expect((await get('/health', undefined, attacker)).statusCode).toBe(200);
  });

  test('requests without any key are not guesses: they do not count as refused keys', async () => {
    const address = '203.0.113.8';
    for (let i = 0; i < LIMITS.authFailuresPerMinute + 5; i++) expect((await get('/api/v1/executions', undefined, address)).statusCode).toBe(401);
    expect((await get('/api/v1/executions', goodKey, address)).statusCode).toBe(200);
  });
});

describe('a good key', () => {
  test('within the limit, every request answers; over it, 429 with Retry-After; another address with the same key is limited too', async () => {
    const address = '198.51.100.20';
    const within = [];
    for (let i = 0; i < LIMITS.requestsPerMinute - 1; i++) within.push((await get('/api/v1/executions', goodKey, address)).statusCode);
    // (one request of this key was made from 203.0.113.8 above)
    expect(within).toEqual(Array(LIMITS.requestsPerMinute - 1).fill(200));
    const over = await get('/api/v1/executions', goodKey, address);
    expectRateLimited(over);
    expect(over.json().error.message).toContain('API key');
    expectRateLimited(await get('/api/v1/executions', goodKey, '198.51.100.21'));
  });

  test('a fresh key elsewhere is unaffected by the exhausted one', async () => {
    const other = (await createApiKey(engine.pool, ORG, 'viewer')).apiKey;
    expect((await get('/api/v1/executions', other, '198.51.100.22')).statusCode).toBe(200);
  });

  test('an address is limited across keys (rotating key ids does not escape it)', async () => {
    const address = '198.51.100.30';
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.requestsPerMinute + 1; i++) statuses.push((await get('/health', undefined, address)).statusCode, (await get('/api/v1/nope', undefined, address)).statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMITS.requestsPerMinute + 1); // /health: never limited
    expect(statuses.filter((status) => status === 404)).toHaveLength(LIMITS.requestsPerMinute);
    expect(statuses.at(-1)).toBe(429);
  });
});

test('the limits come from the environment, with defaults generous enough for one busy client', () => {
  expect(loadApiLimits({})).toEqual({ requestsPerMinute: 20_000, authFailuresPerMinute: 50, sseMaxSeconds: 900 });
  expect(loadApiLimits({ WF_RATE_LIMIT_PER_MINUTE: '100', WF_AUTH_FAILURES_PER_MINUTE: '5', WF_SSE_MAX_SECONDS: '30' })).toEqual({ requestsPerMinute: 100, authFailuresPerMinute: 5, sseMaxSeconds: 30 });
  expect(() => loadApiLimits({ WF_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/WF_RATE_LIMIT_PER_MINUTE must be a whole number/);
  expect(() => loadApiLimits({ WF_SSE_MAX_SECONDS: '1.5' })).toThrow(/WF_SSE_MAX_SECONDS/);
});
