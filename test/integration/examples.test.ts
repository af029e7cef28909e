/**
 * The example graphs the README shows run to completion, as a new user would run them.
 * http-notify.json runs against the example servers themselves (examples/servers/), started
 * by this file on 127.0.0.1 and stopped at its end.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { setSecret } from '../../src/client/secrets';
import { createWebhook } from '../../src/notifications/webhooks';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run } from '../helpers/graphs';
import { freePort, startScript, type ScriptProcess } from '../helpers/script-process';

let engine: TestEngine;
const scripts: ScriptProcess[] = [];
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await Promise.all(scripts.map((script) => script.stop()));
  await engine?.stop();
});

const example = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));

test('hello.json completes with no input and with the README input', async () => {
  const graph = { ...example('hello.json'), id: graphId('hello') };
  const noInput = await engine.client.start({ organizationId: 'default', graph });
  const view = await engine.client.waitForEnd('default', noInput.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ small: { n: 8, size: 'small' } });
  expect(view.steps.report.attempts).toBe(2);
  expect((await run(engine, graph, { n: 7 })).output).toEqual({ big: { n: 14, size: 'big' } });
});

test('order-pipeline.json completes with examples/inputs/order.json', async () => {
  const input = JSON.parse(readFileSync(new URL('../../examples/inputs/order.json', import.meta.url), 'utf8'));
  const view = await run(engine, { ...example('order-pipeline.json'), id: graphId('order') }, input);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ order: 'A-1001', lines: [12, 12], shipped: true });
  expect(view.steps.notify_failure.status).toBe('skipped');
});

test('checkout.json runs add-tax.json as its subgraph (stored first, as the README does with wf run)', async () => {
  const child = { ...example('add-tax.json'), id: graphId('add-tax') };
  expect((await run(engine, child, { amount: 100 })).output).toEqual({ net: 100, tax: 20, total: 120 });
  const checkout = example('checkout.json') as { nodes: { id: string; config: Record<string, unknown> }[] };
  const graph = { ...checkout, id: graphId('checkout'), nodes: checkout.nodes.map((node) => (node.id === 'tax' ? { ...node, config: { ...node.config, graphId: child.id } } : node)) };
  const input = JSON.parse(readFileSync(new URL('../../examples/inputs/checkout.json', import.meta.url), 'utf8'));
  const view = await run(engine, graph, input);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ charged: 238, tax: 38 });
  expect(view.steps.tax_failed.status).toBe('skipped');
  expect(view.children).toMatchObject([{ nodeId: 'tax', graphId: child.id, graphVersion: 1, status: 'completed' }]);
});

const serverScript = (name: string): string => fileURLToPath(new URL(`../../examples/servers/${name}`, import.meta.url));

test('the README webhook receiver verifies with the README snippet, unchanged', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const snippet = /```js\n\/\/ verify-webhook\.mjs\n[^\n]*\n\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toMatch(/^\/\*\* True when .*\nexport function verifyWebhook/);
  expect(readFileSync(serverScript('webhook-receiver.mjs'), 'utf8')).toContain(snippet);
});

test('http-notify.json: the call carries the secret, each status takes its branch, the webhook gets signed posts, a dead API makes a dead letter', async () => {
  const token = 'demo-token-4c1f9a';
  await setSecret(engine.pool, engine.secretCipher!, 'default', 'demo.token', token);
  const receiverPort = await freePort();
  const hook = await createWebhook(engine.pool, engine.secretCipher, 'default', { url: `http://127.0.0.1:${receiverPort}/hook`, events: ['dead_letter.created', 'notify.order'] });
  // The API refuses any other token, so a 200 proves the secret's value went on the wire.
  const api = startScript(serverScript('demo-api.mjs'), ['0'], { DEMO_API_TOKEN: token });
  const receiver = startScript(serverScript('webhook-receiver.mjs'), [String(receiverPort)], { WF_WEBHOOK_SECRET: hook.signingSecret });
  scripts.push(api, receiver);
  const apiUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(await api.waitForLine(/listening on/))![1];
  await receiver.waitForLine(/listening on/);

  const graph = { ...example('http-notify.json'), id: graphId('http-notify') };
  const input = { ...JSON.parse(readFileSync(new URL('../../examples/inputs/http-notify.json', import.meta.url), 'utf8')), apiUrl, webhookId: hook.id };
  const branches = (view: { steps: Record<string, { status: string }> }) => Object.fromEntries(['lookup', 'tell_found', 'tell_missing', 'tell_api_failed'].map((id) => [id, view.steps[id].status]));

  const found = await run(engine, graph, input);
  expect(branches(found)).toEqual({ lookup: 'completed', tell_found: 'completed', tell_missing: 'skipped', tell_api_failed: 'skipped' });
  expect(api.lines).toContain('GET /orders/A-1001 authorization=present -> 200');
  expect(api.lines.join('\n')).not.toContain(token);
  const foundLine = await receiver.waitForLine(/"orderId":"A-1001"/);
  expect(foundLine).toBe('signature ok notify.order {"orderId":"A-1001","found":true,"total":24}');

  const missing = await run(engine, graph, { ...input, orderId: 'A-9999' });
  expect(branches(missing)).toEqual({ lookup: 'completed', tell_found: 'skipped', tell_missing: 'completed', tell_api_failed: 'skipped' });
  expect(await receiver.waitForLine(/"orderId":"A-9999"/)).toBe('signature ok notify.order {"orderId":"A-9999","found":false}');

  // 503 three times: HttpError, which the error edge takes.
  const down = await run(engine, graph, { ...input, orderId: 'boom' });
  expect(down.status).toBe('completed');
  expect(branches(down)).toEqual({ lookup: 'failed', tell_found: 'skipped', tell_missing: 'skipped', tell_api_failed: 'completed' });
  expect(down.steps.lookup).toMatchObject({ attempts: 3, error: { type: 'HttpError' } });
  expect(await receiver.waitForLine(/"orderId":"boom"/)).toMatch(/^signature ok notify\.order \{"orderId":"boom","apiError":"GET http:\/\/127\.0\.0\.1:\d+\/orders\/boom answered 503: /);

  // No API at all: HttpNetworkError, which the error edge does not take; the dead letter's event reaches the receiver.
  await api.stop();
  const dead = await run(engine, graph, input);
  expect(dead.status).toBe('failed');
  expect(dead.steps.lookup).toMatchObject({ status: 'failed', attempts: 3, error: { type: 'HttpNetworkError' } });
  const letter = (await engine.pool.query<{ id: string }>('SELECT id FROM dead_letters WHERE execution_id = $1', [dead.executionId])).rows[0];
  const deadLine = await receiver.waitForLine(new RegExp(`dead_letter\\.created .*"deadLetterId":"${letter.id}"`), 20_000);
  expect(deadLine).toMatch(/^signature ok dead_letter\.created \{/);

  // A request not signed with the webhook's secret is refused.
  const forged = await fetch(`http://127.0.0.1:${receiverPort}/hook`, { method: 'POST', headers: { 'wf-event': 'notify.order', 'wf-timestamp': String(Math.floor(Date.now() / 1000)), 'wf-signature': 'v1=00' }, body: '{}' });
  expect(forged.status).toBe(401);
  await receiver.waitForLine(/^signature BAD notify\.order$/);
});

test('price-list.json maps over the 200 SKUs of examples/inputs/skus.json, 20 at a time', async () => {
  const input = JSON.parse(readFileSync(new URL('../../examples/inputs/skus.json', import.meta.url), 'utf8'));
  const view = await run(engine, { ...example('price-list.json'), id: graphId('prices') }, input);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ priced: 200, first: { sku: 'SKU-0001', cents: 100 }, last: { sku: 'SKU-0200', cents: 1095 } });
  expect(view.steps.lookup.progress).toEqual({ total: 200, completed: 200, failed: 0 });
});

test('answer-question.json answers from the README, ingested as the README says, and records its retrieval', async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const ingested = await engine.client.knowledge.ingest('default', 'readme', [{ name: 'README.md', text: readme }]);
  const document = await engine.client.knowledge.waitForDocument('default', ingested.documents[0]!.document.id);
  expect(document.status).toBe('ready');
  const view = await run(engine, { ...example('answer-question.json'), id: graphId('answer') }, { corpus: 'readme', question: 'how do I ingest documents into a knowledge corpus?' });
  expect(view.status).toBe('completed');
  const output = view.output as { found: boolean; answer: string; sources: { chunkId: string; score: number }[] };
  expect(output.found).toBe(true);
  expect(output.sources).toHaveLength(3);
  // The README's knowledge section answers it (which of its chunks ranks first moves as the README changes).
  expect(output.answer).toMatch(/knowledge/i);
  const events = await engine.client.knowledge.retrievalEvents('default', view.executionId);
  expect(events.map((event) => event.chunkIds)).toEqual([output.sources.map((source) => source.chunkId)]);
  // A corpus that shares no word with the question (nor a hashed dimension: checked, deterministic).
  const tiny = await engine.client.knowledge.ingest('default', 'tiny', [{ name: 'trains.txt', text: 'Trains leave hourly.' }]);
  await engine.client.knowledge.waitForDocument('default', tiny.documents[0]!.document.id);
  const none = await run(engine, { ...example('answer-question.json'), id: graphId('answer') }, { corpus: 'tiny', question: 'zebra xylophone' });
  expect(none.output).toMatchObject({ found: false, answer: 'nothing in the corpus matches the question', sources: [] });
});
