/**
 * A secret's value is never written anywhere but on the wire (DESIGN §10). Six secrets with
 * unguessable values are stored the three ways a user stores them (the API, the client, `wf
 * secret set`), then graphs send them in a header, a query parameter, a JSON body field, a Basic
 * credential, a bodyText and a notify node's signing secret to a local server that echoes
 * every request back (200, 400 and 503-then-200), so an output or an error excerpt would carry
 * them unless redacted. The server must have received every value; afterwards no value (as is,
 * URL-encoded, base64, hex, …) may be in Temporal's history of any workflow, any row of any
 * table, any log line of the worker, the SDK or the API, any API answer or `wf` output.
 * Needs `npm run build` first (the `wf` command runs dist/).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiKey } from '../../src/client/keys';
import { setSecret } from '../../src/client/secrets';
import type { ExecutionView } from '../../src/client';
import { exitCodeForStatus } from '../../src/cli/exit-codes';
import { verifySignature } from '../../src/notifications/signature';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, stepOutput } from '../helpers/graphs';
import { startTestHttpServer, type SeenRequest, type TestHttpServer } from '../helpers/http-test-server';
import { apiPlaces, databasePlaces, historyPlaces, wfPlace, workflowIds } from '../helpers/secret-scan-places';
import { describeHits, findHits, needlesFor, type Place } from '../helpers/secret-scan-search';
import { captureSdkLogs, echoRoutes, startScanApi, startScanWorker, type CapturedLogs } from '../helpers/secret-scan-stack';
import { waitFor } from '../helpers/wait-for';

const NAMES = { header: 'scan-header', query: 'scan-query', body: 'scan-body', password: 'scan-password', bodyText: 'scan-text', notify: 'scan-notify' } as const;
type Use = keyof typeof NAMES;
// "+" and "/" make the URL-encoded and base64 forms differ from the value itself.
const SECRETS = Object.fromEntries(Object.keys(NAMES).map((use) => [use, `scan-${randomBytes(16).toString('hex')}+/${use}`])) as Record<Use, string>;
const BASIC_USER = 'scan-user';
const ref = (use: Use) => ({ $secret: NAMES[use] });

const logs: CapturedLogs = { lines: [] };
let engine: TestEngine;
let app: FastifyInstance;
let server: TestHttpServer;
let stopWorker: (() => Promise<void>) | undefined;
let adminKey: string;
let webhookSecret: string;
const runs = {} as Record<'success' | 'failure' | 'retried', ExecutionView>;
const outsideOutput: Place[] = [];

/** A config that sends four secrets at once: a header, a query parameter, a JSON body field and a Basic password. */
const everySecret = (path: string) => ({
  method: 'POST',
  url: `${server.origin}${path}`,
  headers: { 'X-Api-Key': ref('header') },
  query: { key: ref('query'), plain: 'visible' },
  body: { token: ref('body'), note: 'plain' },
  auth: { username: BASIC_USER, password: ref('password') },
});

async function runGraph(prefix: string, nodes: unknown[]): Promise<ExecutionView> {
  const started = await engine.client.start({ organizationId: 'default', graph: { id: graphId(prefix), version: 1, nodes } });
  return engine.client.waitForEnd('default', started.executionId);
}

async function api(method: 'PUT' | 'POST', url: string, payload: unknown): Promise<Record<string, string>> {
  const answer = await app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${adminKey}` } });
  if (answer.statusCode >= 300) throw new Error(`${method} ${url} answered ${answer.statusCode}: ${answer.body}`);
  return answer.json();
}

/** Stores each secret the way a user could: the API, the client SDK, `wf secret set --from-file`. */
async function storeSecrets(): Promise<void> {
  for (const use of ['header', 'query', 'notify'] as const) await api('PUT', `/api/v1/secrets/${NAMES[use]}`, { value: SECRETS[use] });
  for (const use of ['body', 'password'] as const) await setSecret(engine.pool, engine.secretCipher!, 'default', NAMES[use], SECRETS[use]);
  const file = join(mkdtempSync(join(tmpdir(), 'wf-secret-scan-')), 'value');
  writeFileSync(file, `${SECRETS.bodyText}\n`);
  outsideOutput.push(await wfPlace(engine, ['secret', 'set', NAMES.bodyText, '--from-file', file]));
}

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  captureSdkLogs(logs);
  [stopWorker, app, server] = await Promise.all([startScanWorker(engine, logs), startScanApi(engine, logs), startTestHttpServer(echoRoutes())]);
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING");
  adminKey = (await createApiKey(engine.pool, 'default', 'admin')).apiKey;
  webhookSecret = (await api('POST', '/api/v1/webhooks', { url: `${server.origin}/events`, events: ['*'] })).signingSecret;
  await storeSecrets();

  const quickRetry = { maxAttempts: 3, initialInterval: '100ms' };
  [runs.success, runs.failure, runs.retried] = await Promise.all([
    runGraph('scan-success', [
      { id: 'all', type: 'http', config: everySecret('/echo') },
      { id: 'text', type: 'http', config: { method: 'PUT', url: `${server.origin}/echo`, bodyText: ref('bodyText') } },
      { id: 'notify', type: 'notify', config: { url: `${server.origin}/hook`, secret: ref('notify'), event: 'scan.done', body: { note: 'sent' } } },
    ]),
    runGraph('scan-failure', [{ id: 'refused', type: 'http', retry: quickRetry, config: everySecret('/refuse') }]),
    runGraph('scan-retried', [{ id: 'flaky', type: 'http', retry: quickRetry, config: everySecret('/flaky') }]),
  ]);
  // The failure's execution.failed and dead_letter.created reach the webhook through the outbox.
  await waitFor('every notification delivered', 60_000, async () => {
    const rows = (await engine.pool.query<{ status: string }>('SELECT status FROM notifications')).rows;
    return rows.length >= 2 && rows.every((row) => row.status === 'delivered') ? rows : undefined;
  }, 200);
});

afterAll(async () => {
  await stopWorker?.();
  await Promise.all([app?.close(), server?.stop()]);
  await engine?.stop();
});

/** The one request of `path` an execution's node sent (or its attempts). */
const sentBy = (path: string, executionId: string): SeenRequest[] => server.seenAt(path).filter((request) => String(request.headers['idempotency-key']).startsWith(`${executionId}:`));

function expectEverySecretArrived(request: SeenRequest): void {
  expect(request.headers['x-api-key']).toBe(SECRETS.header);
  expect(new URL(request.url, 'http://x').searchParams.get('key')).toBe(SECRETS.query);
  expect(JSON.parse(request.body)).toEqual({ token: SECRETS.body, note: 'plain' });
  expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${BASIC_USER}:${SECRETS.password}`).toString('base64')}`);
}

describe('the graphs ran and every real value went over the wire', () => {
  test('the executions ended as the server made them', () => {
    expect(runs.success.status).toBe('completed');
    expect(runs.failure.status).toBe('failed');
    expect(runs.failure.steps.refused).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpError' } });
    expect(runs.failure.steps.refused.error!.message).toContain('answered 400');
    expect(runs.retried.status).toBe('completed');
    expect(runs.retried.steps.flaky).toMatchObject({ status: 'completed', attempts: 2 });
  });

  test('the server received each secret value, the receivers valid signatures', () => {
    const [all] = sentBy('/echo', runs.success.executionId).filter((request) => request.method === 'POST');
    expectEverySecretArrived(all);
    const [text] = sentBy('/echo', runs.success.executionId).filter((request) => request.method === 'PUT');
    expect(text.body).toBe(SECRETS.bodyText);
    expectEverySecretArrived(sentBy('/refuse', runs.failure.executionId)[0]);
    const flaky = sentBy('/flaky', runs.retried.executionId);
    expect(flaky).toHaveLength(2);
    flaky.forEach(expectEverySecretArrived);

    const signed = (request: SeenRequest, signingSecret: string) =>
      verifySignature({ signingSecret, rawBody: request.body, timestamp: request.headers['wf-timestamp'] as string, signature: request.headers['wf-signature'] as string });
    const [hook] = server.seenAt('/hook');
    expect(signed(hook, SECRETS.notify)).toBe(true);
    const deliveries = server.seenAt('/events');
    expect(deliveries.map((request) => (JSON.parse(request.body) as { event: string }).event)).toEqual(expect.arrayContaining(['execution.failed', 'dead_letter.created']));
    for (const delivery of deliveries) expect(signed(delivery, webhookSecret)).toBe(true);
  });

  test('the echoed answers came back redacted, so the scan below looks at outputs that held the values', async () => {
    const output = (await stepOutput(engine, runs.success.executionId, 'all')) as { body: { headers: Record<string, string>; query: Record<string, string[]>; body: string } };
    expect(output.body.headers['x-api-key']).toBe('***');
    expect(output.body.headers.authorization).toBe('Basic ***');
    expect(output.body.query.key).toEqual(['***']);
    expect(JSON.parse(output.body.body)).toEqual({ token: '***', note: 'plain' });
    expect(runs.failure.steps.refused.error!.message).toContain('***');
  });
});

describe('no secret value anywhere', () => {
  // Each value, the Basic credential built from one, and the webhook's signing secret.
  const needles = () => needlesFor({ ...SECRETS, basicPair: `${BASIC_USER}:${SECRETS.password}`, webhookSigningSecret: webhookSecret });
  const expectNoHits = (places: Place[]): void => {
    const hits = findHits(places, needles());
    expect(hits, describeHits(hits)).toEqual([]);
  };
  // The scan itself must find what is there: a place with a value in it is a hit.
  test('the scan finds a value where one is, in each form', () => {
    const probe: Place[] = [{ where: 'probe', text: `${encodeURIComponent(SECRETS.query)} ${Buffer.from(SECRETS.header).toString('base64')}` }];
    expect(findHits(probe, needles()).map((hit) => hit.label)).toEqual(['header (base64)', 'query (url-encoded)']);
  });

  test('in the Temporal history of every workflow (CLI and client), deliveries included', async () => {
    const ids = await workflowIds(engine, Object.values(runs).map((view) => view.executionId));
    expect(ids.filter((id) => id.startsWith('notify:')).length).toBeGreaterThanOrEqual(2);
    expectNoHits(await historyPlaces(engine, ids));
  });

  test('in any row of any table, sealed secrets included', async () => {
    const { places, rows } = await databasePlaces(engine);
    expect(rows).toMatchObject({ secrets: 6, webhooks: 1, dead_letters: 1 });
    expect(rows.execution_step_attempts).toBeGreaterThanOrEqual(5);
    expectNoHits(places);
  });

  test('in any API answer', async () => {
    const ids = Object.values(runs).map((view) => view.executionId);
    const [deadLetter] = (await app.inject({ method: 'GET', url: '/api/v1/dlq', headers: { authorization: `Bearer ${adminKey}` } })).json<{ id: string }[]>();
    const paths = [
      '/api/v1/executions',
      ...ids.flatMap((id) => [`/api/v1/executions/${id}`, `/api/v1/executions/${id}/events`]),
      '/api/v1/secrets',
      '/api/v1/webhooks',
      '/api/v1/notifications',
      '/api/v1/dlq',
      `/api/v1/dlq/${deadLetter.id}`,
      '/metrics',
    ];
    expectNoHits(await apiPlaces(app, adminKey, paths));
  });

  test('in any wf output', async () => {
    const places = [...outsideOutput, await wfPlace(engine, ['secret', 'list', '--json'])];
    // A failed execution's status exits non-zero by design (DESIGN §7).
    for (const view of Object.values(runs)) places.push(await wfPlace(engine, ['status', view.executionId, '--json'], exitCodeForStatus(view.status)));
    expectNoHits(places);
  });

  // Last: every step above logged into it.
  test('in any log line of the worker, the Temporal SDK or the API', () => {
    const bySource = (source: string) => logs.lines.filter((line) => line.source === source).length;
    expect(bySource('api')).toBeGreaterThan(10);
    expect(bySource('temporal-sdk')).toBeGreaterThan(0);
    expectNoHits(logs.lines.map((line, i) => ({ where: `${line.source} log line ${i}`, text: line.text })));
  });
});
