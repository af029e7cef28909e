/**
 * The `http` node against a server this file starts on 127.0.0.1 (DESIGN §10): requests
 * as configured, responses parsed, retries with Retry-After and one Idempotency-Key, the
 * statuses that are not retried, the timeout, the response size limit and cancellation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidRequestError } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run, stepOutput } from '../helpers/graphs';
import { startTestHttpServer, type TestHttpServer } from '../helpers/http-test-server';
import { waitFor } from '../helpers/wait-for';

let engine: TestEngine;
let server: TestHttpServer;
const flakyCalls = new Map<string, number>();
const big = { started: 0, completed: 0, closed: 0 };
const held = { opened: 0, aborted: 0 };

beforeAll(async () => {
  [engine, server] = await Promise.all([
    startTestEngine(),
    startTestHttpServer({
      '/flaky': (request, response) => {
        const key = String(request.headers['idempotency-key']);
        const calls = (flakyCalls.get(key) ?? 0) + 1;
        flakyCalls.set(key, calls);
        if (calls <= 2) response.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('busy, come back');
        else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, calls }));
      },
      '/missing': (_request, response) => void response.writeHead(404, { 'content-type': 'text/plain' }).end('no such\nthing here'),
      '/hold': (_request, response) => {
        held.opened += 1;
        const timer = setTimeout(() => response.writeHead(200).end('late'), 20_000);
        response.on('close', () => {
          if (!response.writableFinished) held.aborted += 1;
          clearTimeout(timer);
        });
      },
      '/big': async (_request, response) => {
        big.started += 1;
        response.on('close', () => (big.closed += 1));
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 120);
        for (let sent = 0; sent < 20 * 1024 * 1024 && !response.destroyed; sent += chunk.length) {
          if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
        }
        if (!response.destroyed) {
          response.end();
          big.completed += 1;
        }
      },
      '/declared': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5000' }).end('y'.repeat(5000)),
      '/echo': (request, response) => {
        const url = new URL(request.url ?? '/', 'http://test');
        const query: Record<string, string[]> = {};
        for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
        response.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'echo' }).end(JSON.stringify({ method: request.method, query, headers: request.headers, body: request.body }));
      },
      '/text': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('hello there'),
      '/json-as-text': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('{"a":1}'),
      '/problem': (_request, response) => void response.writeHead(200, { 'content-type': 'application/problem+json' }).end('{"title":"x"}'),
      '/not-json': (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('oops'),
      '/created': (_request, response) => void response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":7}'),
    }),
  ]);
});
afterAll(async () => Promise.all([engine?.stop(), server?.stop()]));

const httpNode = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'call', type: 'http', config, ...extra });

async function attemptCount(executionId: string, nodeId = 'call'): Promise<number> {
  const found = await engine.pool.query('SELECT count(*)::int AS n FROM execution_step_attempts WHERE execution_id = $1 AND node_id = $2', [executionId, nodeId]);
  return (found.rows[0] as { n: number }).n;
}

describe('requests as configured', () => {
  test('method, query, headers and a JSON body reach the server; the output is {status, headers, body}', async () => {
    const view = await run(
      engine,
      { nodes: [httpNode({ method: 'POST', url: `${server.origin}/echo?fixed=1`, query: { q: { $expr: 'input.term' }, tag: ['a', 'b'], n: 5, yes: true }, headers: { 'X-Trace': 'abc' }, body: { term: { $expr: 'input.term' }, list: [1, 2] } })] },
      { term: 'ünï code' },
    );
    expect(view.status).toBe('completed');
    const output = (await stepOutput(engine, view.executionId, 'call')) as { status: number; headers: Record<string, string>; body: { method: string; query: Record<string, string[]>; headers: Record<string, string>; body: string } };
    expect(output.status).toBe(200);
    expect(output.headers['x-served-by']).toBe('echo');
    expect(output.body.method).toBe('POST');
    expect(output.body.query).toEqual({ fixed: ['1'], q: ['ünï code'], tag: ['a', 'b'], n: ['5'], yes: ['true'] });
    expect(output.body.headers).toMatchObject({ 'x-trace': 'abc', 'content-type': 'application/json', 'idempotency-key': `${view.executionId}:call` });
    expect(JSON.parse(output.body.body)).toEqual({ term: 'ünï code', list: [1, 2] });
  });

  test('bodyText is sent as text, with a content-type of the config when given', async () => {
    const view = await run(engine, {
      nodes: [
        httpNode({ method: 'PUT', url: `${server.origin}/echo`, bodyText: 'plain words' }),
        { id: 'csv', type: 'http', config: { method: 'PATCH', url: `${server.origin}/echo`, headers: { 'Content-Type': 'text/csv' }, bodyText: 'a,b\n1,2' } },
      ],
    });
    const plain = (await stepOutput(engine, view.executionId, 'call')) as { body: { method: string; headers: Record<string, string>; body: string } };
    expect(plain.body).toMatchObject({ method: 'PUT', body: 'plain words', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const csv = (await stepOutput(engine, view.executionId, 'csv')) as { body: { headers: Record<string, string>; body: string } };
    expect(csv.body).toMatchObject({ body: 'a,b\n1,2', headers: { 'content-type': 'text/csv' } });
  });

  test('a config that cannot work is refused before anything runs, with its JSON path', async () => {
    const refused = await engine.client
      .start({ organizationId: 'default', graph: { id: graphId('bad-http'), version: 1, nodes: [httpNode({ url: 'ftp://x/y', expect: ['2xx', '7xx'], body: {}, headers: { 'Idempotency-Key': 'mine' } })] } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidRequestError);
    const paths = (refused as InvalidRequestError).problems.map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['$.nodes[0].config.url', '$.nodes[0].config.expect', '$.nodes[0].config.body', '$.nodes[0].config.headers["Idempotency-Key"]']));
  });
});

describe('responses', () => {
  test('auto follows the content-type; json and text force the reading', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'text', type: 'http', config: { url: `${server.origin}/text` } },
        { id: 'problem', type: 'http', config: { url: `${server.origin}/problem` } },
        { id: 'forcedJson', type: 'http', config: { url: `${server.origin}/json-as-text`, response: 'json' } },
        { id: 'forcedText', type: 'http', config: { url: `${server.origin}/problem`, response: 'text' } },
        { id: 'autoText', type: 'http', config: { url: `${server.origin}/json-as-text` } },
      ],
    });
    expect(view.status).toBe('completed');
    const body = async (id: string) => ((await stepOutput(engine, view.executionId, id)) as { body: unknown }).body;
    expect(await body('text')).toBe('hello there');
    expect(await body('problem')).toEqual({ title: 'x' });
    expect(await body('forcedJson')).toEqual({ a: 1 });
    expect(await body('forcedText')).toBe('{"title":"x"}');
    expect(await body('autoText')).toBe('{"a":1}');
  });

  test('a body that claims JSON and is not fails HttpInvalidResponse, once', async () => {
    const view = await run(engine, { nodes: [httpNode({ url: `${server.origin}/not-json` })] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpInvalidResponse' } });
  });

  test('expect decides what counts as success', async () => {
    const fine = await run(engine, { nodes: [httpNode({ url: `${server.origin}/missing`, expect: [200, '404'] })] });
    expect(fine.steps.call).toMatchObject({ status: 'completed' });
    expect(await stepOutput(engine, fine.executionId, 'call')).toMatchObject({ status: 404, body: 'no such\nthing here' });
    const strict = await run(engine, { nodes: [httpNode({ method: 'POST', url: `${server.origin}/created`, body: {}, expect: 200 })] });
    expect(strict.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpError' } });
    expect(strict.steps.call.error!.message).toContain('answered 201: {"id":7}');
  });
});

describe('retries and failures', () => {
  test('503 twice then 200: three attempts with one Idempotency-Key, Retry-After as the delay', async () => {
    const view = await run(engine, { nodes: [httpNode({ url: `${server.origin}/flaky` }, { retry: { maxAttempts: 5, initialInterval: '100ms' } })] });
    expect(view.status).toBe('completed');
    expect(view.steps.call).toMatchObject({ status: 'completed', attempts: 3 });
    expect(await stepOutput(engine, view.executionId, 'call')).toMatchObject({ status: 200, body: { ok: true, calls: 3 } });
    const calls = server.seenAt('/flaky').filter((request) => request.headers['idempotency-key'] === `${view.executionId}:call`);
    expect(calls).toHaveLength(3);
    // Retry-After: 1 replaced the policy's 100 ms backoff.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(950);
  });

  test('404: one attempt, HttpError with the status and a body excerpt, the error edge taken', async () => {
    const view = await run(engine, {
      nodes: [httpNode({ url: `${server.origin}/missing` }, { retry: { maxAttempts: 5, initialInterval: '100ms' } }), { id: 'fallback', type: 'mock' }],
      edges: [{ from: 'call', to: 'fallback', on: 'error' }],
    });
    expect(view.status).toBe('completed');
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpError' } });
    expect(view.steps.call.error!.message).toBe(`GET ${server.origin}/missing answered 404: no such thing here`);
    expect(await stepOutput(engine, view.executionId, 'fallback')).toMatchObject({ error: { nodeId: 'call', type: 'HttpError' } });
    expect(await attemptCount(view.executionId)).toBe(1);
  });

  test('a response slower than the timeout is a retryable HttpTimeout, attempts as the policy says', async () => {
    const before = server.seenAt('/hold').length;
    const view = await run(engine, { nodes: [httpNode({ url: `${server.origin}/hold`, timeout: '300ms' }, { retry: { maxAttempts: 2, initialInterval: '100ms' } })] });
    expect(view.status).toBe('failed');
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'HttpTimeout' } });
    expect(view.steps.call.error!.message).toContain('within 300ms (config.timeout)');
    expect(server.seenAt('/hold').length - before).toBe(2);
  });

  test('a 20 MiB body is refused while it streams with the default limit, not retried', async () => {
    const view = await run(engine, { nodes: [httpNode({ url: `${server.origin}/big` })] });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpResponseTooLarge' } });
    expect(view.steps.call.error!.message).toContain('maxResponseBytes (10485760)');
    // The client hung up before the server had written it all.
    await waitFor('the big response to close', 10_000, async () => (big.closed > 0 ? true : undefined), 50);
    expect(big).toMatchObject({ started: 1, completed: 0, closed: 1 });
  });

  test('a declared length over the limit is refused before the body is read', async () => {
    const view = await run(engine, { nodes: [httpNode({ url: `${server.origin}/declared`, maxResponseBytes: 1000 })] });
    expect(view.steps.call).toMatchObject({ status: 'failed', error: { type: 'HttpResponseTooLarge' } });
    expect(view.steps.call.error!.message).toContain('declares 5000 bytes, over maxResponseBytes (1000)');
  });

  test('cancelling the execution aborts the running request', async () => {
    const started = await engine.client.start({ organizationId: 'default', graph: { id: graphId('http-cancel'), version: 1, nodes: [httpNode({ url: `${server.origin}/hold`, timeout: '60s' })] } });
    const opened = held.opened;
    await waitFor('the request to reach the server', 30_000, async () => (held.opened > opened ? true : undefined), 50);
    // The running attempt heartbeats (that is how the cancel reaches it), without details.
    const pending = await waitFor('a heartbeat of the running attempt', 10_000, async () => {
      const description = await engine.temporal.workflow.getHandle(started.executionId).describe();
      const activity = description.raw.pendingActivities?.[0];
      return activity?.lastHeartbeatTime ? activity : undefined;
    }, 200);
    expect((pending.heartbeatDetails?.payloads ?? []).filter((payload) => payload.data?.length)).toEqual([]);
    const aborted = held.aborted;
    await engine.client.cancel('default', started.executionId);
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('cancelled');
    expect(view.steps.call.status).toBe('cancelled');
    await waitFor('the server to see the request aborted', 10_000, async () => (held.aborted > aborted ? true : undefined), 50);
  });
});
