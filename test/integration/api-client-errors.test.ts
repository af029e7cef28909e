/**
 * Every 5xx a client could cause with what it sends is a 400 naming a JSON path (issue 11):
 * graph versions out of the stored range, malformed list cursors, bodies nested deeper than
 * the documented limit (an input 3,000 levels deep once answered 500 "Maximum call stack size
 * exceeded"), U+0000 in ids, names and documents (PostgreSQL cannot store it), over-long ids.
 * Each case once answered 500 (or, for a garbage cursor, silently the first page).
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

const ORG = `client-errors-${randomBytes(3).toString('hex')}`;
let engine: TestEngine;
let api: TestApi;
let key: string;
let stored: string;

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  key = await api.key(ORG, 'admin');
  stored = graphId('client-errors');
  expect((await send('POST', '/api/v1/graphs', { id: stored, version: 1, nodes: [{ id: 'a', type: 'mock' }] })).statusCode).toBe(201);
});

afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

async function send(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  const raw = typeof body === 'string';
  return api.app.inject({ method, url, headers: { ...auth(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: raw ? body : JSON.stringify(body) }) });
}

/** A 400 whose problems include `path` (exactly, or matching a pattern), and no stack trace. */
function expectRefusal(response: LightMyRequestResponse, path: string | RegExp): void {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(400);
  expect(response.body).not.toMatch(/\n\s+at /);
  const paths = (response.json().error.problems as { path: string }[]).map((problem) => problem.path);
  if (typeof path === 'string') expect(paths).toContain(path);
  else expect(paths.some((candidate) => path.test(candidate)), paths.join(', ')).toBe(true);
}

/** `{"a": {"a": ... 1}}`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const executionsCount = async (): Promise<number> => Number((await engine.pool.query<{ n: string }>('SELECT count(*) AS n FROM executions WHERE organization_id = $1', [ORG])).rows[0].n);

describe('graph versions out of the stored range (Postgres integer)', () => {
  test.each(['2147483648', '99999999999', '-1', '0', '1.5', 'x'])('GET /api/v1/graphs/:id/versions/%s → 400 $.params.v', async (version) => {
    expectRefusal(await send('GET', `/api/v1/graphs/${stored}/versions/${version}`), '$.params.v');
  });

  test.each([2147483648, 2 ** 53, -1, 0, 1.5])('POST /api/v1/executions {version: %s} → 400 $.body.version, nothing started', async (version) => {
    expectRefusal(await send('POST', '/api/v1/executions', { graphId: stored, version }), '$.body.version');
    expect(await executionsCount()).toBe(0);
  });

  test('POST /api/v1/triggers {version: 2147483648} → 400 $.body.version', async () => {
    expectRefusal(await send('POST', '/api/v1/triggers', { eventType: 'order.placed', graphId: stored, version: 2147483648 }), '$.body.version');
  });

  test('the largest stored version still answers: 404 for one that is not there', async () => {
    expect((await send('GET', `/api/v1/graphs/${stored}/versions/2147483647`)).statusCode).toBe(404);
  });

  test('the client SDK refuses the same (what the CLI and triggers use)', async () => {
    await expect(engine.client.loadGraph(ORG, stored, 2147483648)).rejects.toMatchObject({ name: 'InvalidRequestError', problems: [{ path: '$.version' }] });
  });
});

describe('malformed list cursors', () => {
  const cursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const malformed = [
    ['not base64 JSON', 'garbage'],
    ['a bad timestamp', cursor({ at: 'x', id: 'y' })],
    ['an impossible date', cursor({ at: '2021-02-30T00:00:00.000Z', id: 'y' })],
    ['a numeric id', cursor({ at: '2021-02-01T00:00:00.000Z', id: 1 })],
    ['an array', cursor([1])],
    ['null', cursor(null)],
    ['not base64url', 'a+b/c='],
  ];
  test.each(malformed)('GET /api/v1/executions with %s → 400 $.query.cursor', async (_what, value) => {
    expectRefusal(await send('GET', `/api/v1/executions?cursor=${encodeURIComponent(value)}`), '$.query.cursor');
  });

  test('GET /admin/executions with a bad cursor → 400 $.query.cursor', async () => {
    expectRefusal(await send('GET', `/admin/executions?cursor=${cursor({ at: 'x', id: 'y' })}`), '$.query.cursor');
  });

  test.each(['/api/v1/dlq', '/api/v1/keys', '/api/v1/triggers'])('%s (not paged) refuses a cursor by name: 400 $.query.cursor', async (url) => {
    expectRefusal(await send('GET', `${url}?cursor=abc`), '$.query.cursor');
  });

  test('a real nextCursor still pages', async () => {
    const other = graphId('paged');
    expect((await send('POST', '/api/v1/graphs', { id: other, version: 1, nodes: [{ id: 'a', type: 'mock' }] })).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) {
      const started = await send('POST', '/api/v1/executions', { graphId: other });
      await engine.client.waitForEnd(ORG, started.json().executionId);
    }
    const first = (await send('GET', `/api/v1/executions?limit=2&graphId=${other}`)).json();
    expect(first.executions).toHaveLength(2);
    const second = await send('GET', `/api/v1/executions?limit=2&graphId=${other}&cursor=${first.nextCursor}`);
    expect(second.statusCode).toBe(200);
    expect(second.json().executions).toHaveLength(1);
    await expect(engine.client.listExecutions(ORG, { cursor: 'garbage' })).rejects.toMatchObject({ name: 'InvalidRequestError', problems: [{ path: '$.cursor' }] });
  });
});

describe('JSON nesting depth (64 levels for a document, an input or a payload)', () => {
  test('an execution input nested 3,000 levels (18 KB) → 400 naming where level 66 of the body starts, nothing started', async () => {
    const before = await executionsCount();
    const response = await send('POST', '/api/v1/executions', { graphId: stored, input: nested(3000) });
    expectRefusal(response, `$.body.input${'.a'.repeat(64)}`);
    expect(response.json().error.problems[0].message).toContain('deeper than 65');
    expect(await executionsCount()).toBe(before);
  });

  test('an input of exactly 64 levels is accepted; the client SDK refuses 65 with its path', async () => {
    expect((await send('POST', '/api/v1/executions', { graphId: stored, input: nested(64) })).statusCode).toBe(202);
    await expect(engine.client.start({ organizationId: ORG, graph: { id: stored, version: 1, nodes: [{ id: 'a', type: 'mock' }] }, input: nested(65) as never })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      problems: [{ path: `$.input${'.a'.repeat(64)}` }],
    });
  });

  test('a graph document nested deep in a node config → 400 on store and on validate', async () => {
    const deep = { id: graphId('deep'), version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: nested(3000) } }] };
    expectRefusal(await send('POST', '/api/v1/graphs', deep), /^\$\.body\.nodes\[0\]\.config\.output(\.a)+$/);
    expectRefusal(await send('POST', '/api/v1/graphs/validate', deep), /^\$\.body\.nodes\[0\]\.config\.output(\.a)+$/);
    // 65 levels: within the body limit but past the document's (the document, nodes, node and
    // config are 4 of them): validation names level 65.
    const validated = await send('POST', '/api/v1/graphs/validate', { ...deep, nodes: [{ id: 'a', type: 'transform', config: { output: nested(61) } }] });
    expect(validated.statusCode).toBe(200);
    expect(validated.json()).toEqual({ valid: false, problems: [{ path: `$.nodes[0].config.output${'.a'.repeat(60)}`, message: expect.stringContaining('deeper than 64') }] });
  });

  test.each([
    ['a signal payload', '/api/v1/executions/nope/signals/go', () => ({ payload: nested(3000) })],
    ['an event payload', '/api/v1/events', () => ({ id: 'e1', type: 'order.placed', payload: nested(3000) })],
    ['a dead-letter retry input', '/api/v1/dlq/nope/retry', () => ({ input: nested(3000) })],
    ['a bare array body 1,000,000 levels deep (2 MB)', '/api/v1/graphs/validate', () => '['.repeat(1_000_000) + ']'.repeat(1_000_000)],
    ['a deep body with a "constructor" key (Fastify\'s poisoning check recursed)', '/api/v1/graphs/validate', () => `{"constructor":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
  ])('%s → 400 with a path', async (_what, url, body) => {
    expectRefusal(await send('POST', url, body()), /^\$\.body/);
  });
});

describe('U+0000 and over-long ids', () => {
  test.each([
    ['GET', '/api/v1/executions/a%00b', '$.params.id'],
    ['GET', '/api/v1/dlq/a%00b', '$.params.id'],
    ['DELETE', '/api/v1/keys/a%00b', '$.params.id'],
    ['DELETE', '/api/v1/triggers/a%00b', '$.params.id'],
    ['GET', '/api/v1/graphs/g%00', '$.params.id'],
  ] as const)('%s %s → 400 %s', async (method, url, path) => {
    expectRefusal(await send(method, url), path);
  });

  test.each([
    ['a key name', '/api/v1/keys', { role: 'viewer', name: 'a\u0000b' }, '$.body.name'],
    ['an event id', '/api/v1/events', { id: 'e\u0000', type: 'x' }, '$.body.id'],
    ['an execution input', '/api/v1/executions', { graphId: 'any', input: { s: 'a\u0000b' } }, '$.body.input.s'],
  ])('%s with U+0000 → 400 %s', async (_what, url, body, path) => {
    expectRefusal(await send('POST', url, body), path);
  });

  test('an id of 200 characters reaches validation (404), longer ones are refused with our error body', async () => {
    expect((await send('GET', `/api/v1/executions/${'x'.repeat(200)}`)).statusCode).toBe(404);
    const long = await send('GET', `/api/v1/executions/${'x'.repeat(201)}`);
    expectRefusal(long, '$.params.id');
    const longer = await send('GET', `/api/v1/executions/${'x'.repeat(300)}`);
    expect(longer.statusCode).toBe(414);
    expect(longer.json()).toEqual({ error: { type: 'FST_ERR_MAX_PARAM_LENGTH', message: expect.any(String) } });
  });
});
