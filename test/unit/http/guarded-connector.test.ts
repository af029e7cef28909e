/**
 * The guard inside undici's connect step, with a fake resolver: a name is checked by what
 * it resolves to, and the socket goes to the checked address. Traffic: this file's server
 * on 127.0.0.1 only.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Agent, request } from 'undici';
import { parseEgressAllow } from '../../../src/common/egress-allow';
import { EgressDeniedError, guardedConnector, type Resolver } from '../../../src/activities/nodes/http/egress-guard';
import { startTestHttpServer, type TestHttpServer } from '../../helpers/http-test-server';

let server: TestHttpServer;
const names: Record<string, string[]> = { 'ok.test': ['127.0.0.1'], 'inside.test': ['127.0.0.4'], 'both.test': ['127.0.0.1', '127.0.0.4'] };
const resolver: Resolver = (name) => Promise.resolve(names[name] ?? []);
const agent = new Agent({ connect: guardedConnector(parseEgressAllow(['127.0.0.1']), resolver) });

beforeAll(async () => {
  server = await startTestHttpServer({ '/': (_request, response) => void response.writeHead(200).end('ok') });
});
afterAll(async () => Promise.all([server?.stop(), agent.close()]));

test('a name resolving to an allowed address is reached, with its own Host header', async () => {
  const answer = await request(`http://ok.test:${server.port}/`, { dispatcher: agent });
  expect(answer.statusCode).toBe(200);
  expect(await answer.body.text()).toBe('ok');
  expect(server.seen.at(-1)!.headers.host).toBe(`ok.test:${server.port}`);
});

test('a name resolving to a denied address fails before any connection', async () => {
  const before = server.seen.length;
  await expect(request(`http://inside.test:${server.port}/`, { dispatcher: agent })).rejects.toThrow(EgressDeniedError);
  await expect(request(`http://both.test:${server.port}/`, { dispatcher: agent })).rejects.toThrow(/both\.test \(127\.0\.0\.4\): a loopback address/);
  expect(server.seen.length).toBe(before);
});
