/**
 * The `http` node with a worker that allows exactly 127.0.0.1 (loopback otherwise refused,
 * as in production) and knows two secrets: the egress guard refuses other loopback
 * addresses, directly and after a redirect, before connecting; secret references are
 * resolved on the wire and never stored in the mirror or in Temporal's history.
 * All traffic goes to 127.0.0.1, where this file's server listens.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseEgressAllow } from '../../src/common/egress-allow';
import type { SecretLookup } from '../../src/activities/secret-scope';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { run, stepOutput } from '../helpers/graphs';
import { startTestHttpServer, type TestHttpServer } from '../helpers/http-test-server';

const TOKEN = 'tok-7f3a9c1e5b2d';
const PASSWORD = 'pw-c0ffee-42-secret';
const secrets: SecretLookup = { value: (organizationId, name) => Promise.resolve(organizationId === 'default' ? { 'api-token': TOKEN, 'svc-password': PASSWORD }[name] : undefined) };

let engine: TestEngine;
let server: TestHttpServer;

beforeAll(async () => {
  [engine, server] = await Promise.all([
    startTestEngine({ http: { allow: parseEgressAllow(['127.0.0.1']) }, secrets }),
    startTestHttpServer({
      '/echo': (request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: request.headers, url: request.url, body: request.body })),
      // Answers 401 and quotes the credential it got, as careless servers do.
      '/reject': (request, response) => void response.writeHead(401, { 'content-type': 'text/plain' }).end(`bad key ${String(request.headers['x-api-key'])}`),
      '/redirect': (request, response) => void response.writeHead(302, { location: new URL(request.url ?? '/', 'http://test').searchParams.get('to') ?? '/' }).end(),
    }),
  ]);
});
afterAll(async () => Promise.all([engine?.stop(), server?.stop()]));

/** Every text of an execution's history, payloads decoded (their data is base64 of JSON). */
async function historyText(executionId: string): Promise<string> {
  const history = await engine.temporal.workflow.getHandle(executionId).fetchHistory();
  return JSON.stringify(history, (key, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    if (key === 'data' && typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
    return value;
  });
}

async function mirrorText(executionId: string): Promise<string> {
  const rows = await engine.pool.query(
    `SELECT output::text AS v, error::text AS e FROM execution_steps WHERE execution_id = $1
     UNION ALL SELECT NULL, error::text FROM execution_step_attempts WHERE execution_id = $1
     UNION ALL SELECT output::text, error::text FROM executions WHERE id = $1`,
    [executionId],
  );
  return JSON.stringify(rows.rows);
}

function expectNoSecret(text: string): void {
  for (const value of [TOKEN, PASSWORD, Buffer.from(`svc:${PASSWORD}`).toString('base64')]) expect(text).not.toContain(value);
}

describe('secrets', () => {
  test('a secret header and Basic auth are resolved on the wire and absent from output, mirror and history', async () => {
    const view = await run(engine, {
      nodes: [{ id: 'call', type: 'http', config: { method: 'POST', url: `${server.origin}/echo`, headers: { 'X-Api-Key': { $secret: 'api-token' } }, auth: { username: 'svc', password: { $secret: 'svc-password' } }, query: { key: { $secret: 'api-token' } }, body: { nested: { $secret: 'api-token' } } } }],
    });
    expect(view.status).toBe('completed');
    const seen = server.seenAt('/echo').at(-1)!;
    expect(seen.headers['x-api-key']).toBe(TOKEN);
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`);
    expect(seen.url).toBe(`/echo?key=${TOKEN}`);
    expect(JSON.parse(seen.body)).toEqual({ nested: TOKEN });
    // The server echoed them all back; the step output has them redacted.
    const output = await stepOutput(engine, view.executionId, 'call');
    expect(JSON.stringify(output)).toContain('***');
    expectNoSecret(JSON.stringify(output));
    expectNoSecret(await mirrorText(view.executionId));
    const history = await historyText(view.executionId);
    expect(history).toMatch(/\$secret\W+api-token/); // the reference stays a reference
    expectNoSecret(history);
  });

  test('an error that quotes a secret is redacted in the mirror and the history', async () => {
    const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `${server.origin}/reject`, headers: { 'X-Api-Key': { $secret: 'api-token' } } } }] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpError' } });
    expect(view.steps.call.error!.message).toBe(`GET ${server.origin}/reject answered 401: bad key ***`);
    expect(server.seenAt('/reject').at(-1)!.headers['x-api-key']).toBe(TOKEN);
    expectNoSecret(await mirrorText(view.executionId));
    expectNoSecret(await historyText(view.executionId));
  });

  test('an unknown secret fails the node with SecretNotFound before any request', async () => {
    const before = server.seen.length;
    const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `${server.origin}/echo`, auth: { bearer: { $secret: 'nope' } } }, retry: { maxAttempts: 3, initialInterval: '100ms' } }] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'SecretNotFound' } });
    expect(server.seen.length).toBe(before);
  });
});

describe('egress guard', () => {
  test('the allowed address is reached', async () => {
    const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `${server.origin}/echo` } }] });
    expect(view.steps.call).toMatchObject({ status: 'completed' });
  });

  test('another loopback address is refused before connecting, not retried', async () => {
    const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `http://127.0.0.2:${server.port}/echo` }, retry: { maxAttempts: 3, initialInterval: '100ms' } }] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'EgressDenied' } });
    expect(view.steps.call.error!.message).toContain('refused to connect to 127.0.0.2: a loopback address');
  });

  test('IPv6 loopback and its IPv4-mapped form are refused too', async () => {
    for (const host of ['[::1]', '[::ffff:127.0.0.5]']) {
      const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `http://${host}:${server.port}/echo` } }] });
      expect(view.steps.call).toMatchObject({ status: 'failed', error: { type: 'EgressDenied' } });
    }
  });

  test('a redirect to a denied address is refused at that hop', async () => {
    const before = server.seen.length;
    const to = `http://127.0.0.3:${server.port}/echo`;
    const view = await run(engine, { nodes: [{ id: 'call', type: 'http', config: { url: `${server.origin}/redirect`, query: { to } } }] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'EgressDenied' } });
    expect(view.steps.call.error!.message).toContain('127.0.0.3');
    // The first hop was served; nothing reached the server after it.
    expect(server.seen.slice(before).map((request) => new URL(request.url, 'http://test').pathname)).toEqual(['/redirect']);
  });

  test('an allowed redirect is followed for GET, and returned as the answer for POST', async () => {
    const to = `${server.origin}/echo`;
    const view = await run(engine, {
      nodes: [
        { id: 'get', type: 'http', config: { url: `${server.origin}/redirect`, query: { to } } },
        { id: 'post', type: 'http', config: { method: 'POST', url: `${server.origin}/redirect`, query: { to }, body: {}, expect: '3xx' } },
      ],
    });
    expect(view.status).toBe('completed');
    expect(await stepOutput(engine, view.executionId, 'get')).toMatchObject({ status: 200, body: { url: '/echo' } });
    expect(await stepOutput(engine, view.executionId, 'post')).toMatchObject({ status: 302, headers: { location: to } });
  });

  test('credentials stay behind on a redirect to another origin; the Idempotency-Key goes along', async () => {
    const other = await startTestHttpServer({ '/echo': (_request, response) => void response.writeHead(200).end('ok') });
    try {
      const view = await run(engine, {
        nodes: [{ id: 'call', type: 'http', config: { url: `${server.origin}/redirect`, query: { to: `${other.origin}/echo` }, headers: { 'X-Api-Key': { $secret: 'api-token' }, 'X-Plain': 'kept' }, auth: { bearer: { $secret: 'api-token' } } } }],
      });
      expect(view.steps.call).toMatchObject({ status: 'completed' });
      expect(server.seenAt('/redirect').at(-1)!.headers['x-api-key']).toBe(TOKEN);
      const hop = other.seenAt('/echo')[0];
      expect(hop.headers).toMatchObject({ 'x-plain': 'kept', 'idempotency-key': `${view.executionId}:call` });
      expect(hop.headers['x-api-key']).toBeUndefined();
      expect(hop.headers.authorization).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});
