/**
 * Tenancy and roles for every route of DESIGN §9 that src/api serves: for each route, the
 * owning organization with enough role succeeds, another organization's admin gets 404 (or,
 * for list routes, a list without the first organization's ids; for queue stats, the empty
 * stats of its own organization's key) and no data of the first organization, no key is
 * 401, and too small a role is 403.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '../../src/common/keys';
import { auth, startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

let engine: TestEngine;
let api: TestApi;

const suffix = randomBytes(3).toString('hex');
const ORG_A = `tenancy-a-${suffix}`;
const ORG_B = `tenancy-b-${suffix}`;
/** Appears in org A's graph and inputs: must never show up in anything org B reads. */
const MARKER = `secret-marker-${suffix}`;

type Method = 'GET' | 'POST' | 'DELETE';
const keys: Record<string, string> = {};

interface Fixtures {
  graphId: string;
  /** Only POST /api/v1/graphs uses it: org B stores the same document in its own organization. */
  postedGraph: string;
  completed: string;
  runningSignal: string;
  runningCancel: string;
  runningAdminCancel: string;
  dlqRetry: string;
  dlqDelete: string;
  /** The failed execution of dlqRetry (its node `boom` failed once, for good). */
  failedRetry: string;
  victimKeyId: string;
  triggerId: string;
  /** A concurrency key (max 1) of org A with one execution holding the slot and one queued. */
  queueKey: string;
  queueHolder: string;
  queueWaiter: string;
  /** A knowledge corpus of org A (its document text holds the marker) and an execution that retrieved from it. */
  corpus: string;
  documentId: string;
  retrieved: string;
}
const fx = {} as Fixtures;

const postedGraph = (): Record<string, unknown> => ({ id: fx.postedGraph, version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { marker: MARKER } } }] });

async function call(method: Method, url: string, key: string | undefined, payload?: unknown): Promise<LightMyRequestResponse> {
  return api.app.inject({ method, url, headers: auth(key), ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function startExecution(graph: string, input: unknown): Promise<string> {
  const started = await call('POST', '/api/v1/executions', keys.aOperator, { graphId: graph, input });
  expect(started.statusCode, started.body).toBe(202);
  return started.json().executionId as string;
}

async function waitStatus(executionId: string, wanted: (status: string) => boolean): Promise<string> {
  return until(`execution ${executionId}`, async () => {
    const read = await call('GET', `/api/v1/executions/${executionId}`, keys.aViewer);
    if (read.statusCode !== 200) return undefined;
    const status = read.json().status as string;
    return wanted(status) ? status : undefined;
  });
}

async function storeGraph(document: Record<string, unknown>): Promise<void> {
  const stored = await call('POST', '/api/v1/graphs', keys.aOperator, document);
  expect(stored.statusCode).toBe(201);
}

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  for (const role of ['viewer', 'operator', 'admin', 'submitter'] as Role[]) {
    keys[`a${role[0].toUpperCase()}${role.slice(1)}`] = await api.key(ORG_A, role);
  }
  keys.bAdmin = await api.key(ORG_B, 'admin');

  fx.graphId = graphId('tenancy');
  await storeGraph({ id: fx.graphId, version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { marker: MARKER } } }] });
  fx.postedGraph = graphId('tenancy-posted');
  await storeGraph(postedGraph());
  const waitGraph = graphId('tenancy-wait');
  await storeGraph({ id: waitGraph, version: 1, nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] });
  const failGraph = graphId('tenancy-fail');
  await storeGraph({ id: failGraph, version: 1, nodes: [{ id: 'boom', type: 'mock', config: { fail: { type: 'Nope', message: MARKER, nonRetryable: true } } }] });

  fx.completed = await startExecution(fx.graphId, { marker: MARKER });
  fx.runningSignal = await startExecution(waitGraph, { marker: MARKER });
  fx.runningCancel = await startExecution(waitGraph, { marker: MARKER });
  fx.runningAdminCancel = await startExecution(waitGraph, { marker: MARKER });
  const failedRetry = await startExecution(failGraph, { marker: MARKER });
  const failedDelete = await startExecution(failGraph, { marker: MARKER });

  await waitStatus(fx.completed, (s) => s === 'completed');
  for (const id of [fx.runningSignal, fx.runningCancel, fx.runningAdminCancel]) await waitStatus(id, (s) => s === 'running');
  for (const id of [failedRetry, failedDelete]) await waitStatus(id, (s) => s === 'failed');
  fx.failedRetry = failedRetry;
  fx.dlqRetry = `dlq-${failedRetry}`;
  fx.dlqDelete = `dlq-${failedDelete}`;
  await until('dead letters', async () => {
    const list = await call('GET', '/api/v1/dlq', keys.aViewer);
    const ids = (list.json() as { id: string }[]).map((letter) => letter.id);
    return ids.includes(fx.dlqRetry) && ids.includes(fx.dlqDelete) ? true : undefined;
  });

  // A queue in org A: one execution holds the key's only slot (waiting for a signal), one waits.
  fx.queueKey = `tenancy-queue-${suffix}`;
  const queueGraph = graphId('tenancy-queue');
  await storeGraph({ id: queueGraph, version: 1, settings: { concurrency: { key: `'${fx.queueKey}'`, max: 1 } }, nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] });
  fx.queueHolder = await startExecution(queueGraph, { marker: MARKER });
  await waitStatus(fx.queueHolder, (s) => s === 'running');
  fx.queueWaiter = await startExecution(queueGraph, { marker: MARKER });
  await until('a held slot and a queued execution', async () => {
    const stats = await engine.client.queueStats(ORG_A, fx.queueKey);
    return stats.active === 1 && stats.queued === 1 ? true : undefined;
  });

  fx.corpus = `tenancy-corpus-${suffix}`;
  const ingested = await call('POST', `/api/v1/knowledge/corpora/${fx.corpus}/documents`, keys.aOperator, { documents: [{ name: 'marker.txt', text: `The marker is ${MARKER}.` }] });
  expect(ingested.statusCode, ingested.body).toBe(202);
  fx.documentId = ingested.json().documents[0].document.id as string;
  await until('the corpus ready', async () => ((await call('GET', `/api/v1/knowledge/documents/${fx.documentId}`, keys.aViewer)).json().status === 'ready' ? true : undefined));
  const retrieveGraph = graphId('tenancy-retrieve');
  await storeGraph({ id: retrieveGraph, version: 1, nodes: [{ id: 'find', type: 'knowledge.retrieve', config: { corpus: fx.corpus, query: 'marker' } }] });
  fx.retrieved = await startExecution(retrieveGraph, { marker: MARKER });
  await waitStatus(fx.retrieved, (s) => s === 'completed');

  const victim = await call('POST', '/api/v1/keys', keys.aAdmin, { role: 'viewer', name: `victim-${MARKER}` });
  expect(victim.statusCode).toBe(201);
  fx.victimKeyId = victim.json().keyId as string;
  const trigger = await call('POST', '/api/v1/triggers', keys.aAdmin, { eventType: 'matrix.event', graphId: fx.graphId });
  expect(trigger.statusCode).toBe(201);
  fx.triggerId = trigger.json().triggerId as string;
});

afterAll(async () => {
  for (const id of [fx.queueWaiter, fx.queueHolder]) if (id) await engine?.client.cancel(ORG_A, id).catch(() => undefined);
  await api?.app.close();
  await engine?.stop();
});

interface RouteCase {
  name: string;
  method: Method;
  /** Built lazily: the fixtures exist only after beforeAll. */
  url: () => string;
  payload?: () => unknown;
  role: Role;
  success: number;
  /** 'id': another org's admin gets 404 on org A's id; 'list': gets a list without org A's ids; 'own': acts in its own org only. */
  crossOrg: 'id' | 'list' | 'own';
  /** What must not appear in the list another org reads. */
  ownedIds?: () => string[];
  /** Checks on the successful response. */
  check?: (response: LightMyRequestResponse) => void | Promise<void>;
}

const ROUTES: RouteCase[] = [
  {
    name: 'POST /api/v1/graphs',
    method: 'POST',
    url: () => '/api/v1/graphs',
    payload: postedGraph,
    role: 'operator',
    success: 200, // the same content is already stored in org A
    crossOrg: 'own',
  },
  { name: 'GET /api/v1/graphs/:id', method: 'GET', url: () => `/api/v1/graphs/${fx.graphId}`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.body).toContain(MARKER) },
  { name: 'GET /api/v1/graphs/:id/versions/:v', method: 'GET', url: () => `/api/v1/graphs/${fx.graphId}/versions/1`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.json().version).toBe(1) },
  {
    name: 'POST /api/v1/graphs/validate',
    method: 'POST',
    url: () => '/api/v1/graphs/validate',
    payload: () => ({ id: 'v', version: 1, nodes: [{ id: 'a', type: 'mock' }] }),
    role: 'viewer',
    success: 200,
    crossOrg: 'own',
    check: (r) => expect(r.json().valid).toBe(true),
  },
  {
    name: 'POST /api/v1/executions',
    method: 'POST',
    url: () => '/api/v1/executions',
    payload: () => ({ graphId: fx.graphId, input: { marker: MARKER } }),
    role: 'operator',
    success: 202,
    crossOrg: 'id',
  },
  { name: 'GET /api/v1/executions/:id', method: 'GET', url: () => `/api/v1/executions/${fx.completed}`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.json().status).toBe('completed') },
  {
    name: 'GET /api/v1/executions',
    method: 'GET',
    url: () => '/api/v1/executions?limit=200',
    role: 'viewer',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.completed, fx.runningSignal, fx.runningCancel, fx.runningAdminCancel],
    check: (r) => expect(r.json().executions.map((e: { executionId: string }) => e.executionId)).toContain(fx.completed),
  },
  {
    // With a sequence: another organization learns not even the range of snapshots (404, not 400).
    name: 'GET /api/v1/executions/:id/context',
    method: 'GET',
    url: () => `/api/v1/executions/${fx.completed}/context?sequence=1`,
    role: 'viewer',
    success: 200,
    crossOrg: 'id',
    check: (r) => {
      expect(r.json()).toMatchObject({ executionId: fx.completed, status: 'completed', sequence: 1, context: { input: { marker: MARKER }, nodes: { a: { status: 'completed', output: { marker: MARKER } } } } });
    },
  },
  {
    name: 'GET /api/v1/executions/:id/events',
    method: 'GET',
    url: () => `/api/v1/executions/${fx.completed}/events`,
    role: 'viewer',
    success: 200,
    crossOrg: 'id',
    check: (r) => expect(r.body).toMatch(/event: execution\ndata: .*"status":"completed"/),
  },
  {
    name: 'POST /api/v1/executions/:id/signals/:name',
    method: 'POST',
    url: () => `/api/v1/executions/${fx.runningSignal}/signals/go`,
    payload: () => ({ payload: { ok: true } }),
    role: 'operator',
    success: 202,
    crossOrg: 'id',
  },
  { name: 'POST /api/v1/executions/:id/cancel', method: 'POST', url: () => `/api/v1/executions/${fx.runningCancel}/cancel`, role: 'operator', success: 202, crossOrg: 'id' },
  {
    name: 'GET /api/v1/actions/:ref/queue-stats',
    method: 'GET',
    url: () => `/api/v1/actions/${encodeURIComponent(fx.queueKey)}/queue-stats`,
    role: 'viewer',
    success: 200,
    // The ref is a key name, not an id: another organization reads its own key of that name.
    crossOrg: 'own',
    check: (r) => expect(r.json()).toEqual({ ref: fx.queueKey, maxConcurrent: 1, active: 1, queued: 1, oldestQueuedAt: expect.any(String) }),
  },
  {
    name: 'GET /api/v1/queues',
    method: 'GET',
    url: () => '/api/v1/queues',
    role: 'viewer',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.queueKey],
    check: (r) => expect(r.json()).toContainEqual({ ref: fx.queueKey, running: 1, queued: 1 }),
  },
  {
    name: 'GET /api/v1/executions/:id/steps/:nodeId/attempts',
    method: 'GET',
    url: () => `/api/v1/executions/${fx.failedRetry}/steps/boom/attempts`,
    role: 'viewer',
    success: 200,
    crossOrg: 'id',
    check: (r) => expect(r.json()).toEqual([expect.objectContaining({ attempt: 1, kind: 'run', status: 'failed', error: expect.objectContaining({ message: MARKER }) })]),
  },
  {
    name: 'GET /api/v1/me',
    method: 'GET',
    url: () => '/api/v1/me',
    role: 'viewer',
    success: 200,
    crossOrg: 'own',
    check: (r) => expect(r.json()).toEqual({ organizationId: ORG_A, keyId: expect.stringMatching(/^key_/), role: 'viewer' }),
  },
  {
    name: 'GET /api/v1/console-config',
    method: 'GET',
    url: () => '/api/v1/console-config',
    role: 'viewer',
    success: 200,
    crossOrg: 'own',
    check: (r) => expect(r.json()).toEqual({ temporalNamespace: 'default', temporalUiUrl: 'http://localhost:8233' }),
  },
  {
    name: 'GET /api/v1/dlq',
    method: 'GET',
    url: () => '/api/v1/dlq',
    role: 'viewer',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.dlqRetry, fx.dlqDelete],
    check: (r) => expect(r.json().map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining([fx.dlqRetry, fx.dlqDelete])),
  },
  { name: 'GET /api/v1/dlq/:id', method: 'GET', url: () => `/api/v1/dlq/${fx.dlqRetry}`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.json()).toMatchObject({ status: 'open', input: { marker: MARKER } }) },
  { name: 'POST /api/v1/dlq/:id/retry', method: 'POST', url: () => `/api/v1/dlq/${fx.dlqRetry}/retry`, payload: () => ({}), role: 'operator', success: 202, crossOrg: 'id' },
  { name: 'DELETE /api/v1/dlq/:id', method: 'DELETE', url: () => `/api/v1/dlq/${fx.dlqDelete}`, role: 'operator', success: 204, crossOrg: 'id' },
  {
    name: 'POST /api/v1/keys',
    method: 'POST',
    url: () => '/api/v1/keys',
    payload: () => ({ role: 'viewer', name: 'matrix' }),
    role: 'admin',
    success: 201,
    crossOrg: 'own',
    check: (r) => expect(r.json().organizationId).toBe(ORG_A),
  },
  {
    name: 'GET /api/v1/keys',
    method: 'GET',
    url: () => '/api/v1/keys',
    role: 'admin',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.victimKeyId],
    check: (r) => expect(r.json().map((k: { keyId: string }) => k.keyId)).toContain(fx.victimKeyId),
  },
  { name: 'DELETE /api/v1/keys/:id', method: 'DELETE', url: () => `/api/v1/keys/${fx.victimKeyId}`, role: 'admin', success: 204, crossOrg: 'id' },
  {
    name: 'GET /admin/executions',
    method: 'GET',
    url: () => '/admin/executions?limit=200',
    role: 'admin',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.completed, fx.runningSignal, fx.runningCancel, fx.runningAdminCancel],
    check: (r) => expect(r.json().executions.map((e: { executionId: string }) => e.executionId)).toContain(fx.completed),
  },
  { name: 'POST /api/v1/triggers', method: 'POST', url: () => '/api/v1/triggers', payload: () => ({ eventType: 'matrix.other', graphId: fx.graphId }), role: 'operator', success: 201, crossOrg: 'id' },
  {
    name: 'GET /api/v1/triggers',
    method: 'GET',
    url: () => '/api/v1/triggers',
    role: 'viewer',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.triggerId],
    check: (r) => expect(r.json().map((t: { triggerId: string }) => t.triggerId)).toContain(fx.triggerId),
  },
  {
    name: 'POST /api/v1/events',
    method: 'POST',
    url: () => '/api/v1/events',
    payload: () => ({ id: 'matrix-event-1', type: 'matrix.event', payload: { marker: MARKER } }),
    role: 'operator',
    success: 202,
    crossOrg: 'own',
    check: (r) => expect(r.json().executionIds).toHaveLength(1),
  },
  { name: 'DELETE /api/v1/triggers/:id', method: 'DELETE', url: () => `/api/v1/triggers/${fx.triggerId}`, role: 'operator', success: 204, crossOrg: 'id' },
  { name: 'GET /api/v1/knowledge/corpora', method: 'GET', url: () => '/api/v1/knowledge/corpora', role: 'viewer', success: 200, crossOrg: 'list', ownedIds: () => [fx.corpus], check: (r) => expect(r.body).toContain(fx.corpus) },
  { name: 'GET /api/v1/knowledge/corpora/:corpus/documents', method: 'GET', url: () => `/api/v1/knowledge/corpora/${fx.corpus}/documents`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.body).toContain(fx.documentId) },
  { name: 'GET /api/v1/knowledge/documents/:id', method: 'GET', url: () => `/api/v1/knowledge/documents/${fx.documentId}`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.json().status).toBe('ready') },
  {
    name: 'POST /api/v1/knowledge/search',
    method: 'POST',
    url: () => '/api/v1/knowledge/search',
    payload: () => ({ corpus: fx.corpus, query: 'marker' }),
    role: 'viewer',
    success: 200,
    crossOrg: 'id',
    check: (r) => expect(r.body).toContain(MARKER),
  },
  { name: 'GET /api/v1/executions/:id/retrievals', method: 'GET', url: () => `/api/v1/executions/${fx.retrieved}/retrievals`, role: 'viewer', success: 200, crossOrg: 'id', check: (r) => expect(r.json()).toMatchObject([{ nodeId: 'find', query: 'marker' }]) },
  {
    // After the reads: org B's own corpus of the same name exists from here on.
    name: 'POST /api/v1/knowledge/corpora/:corpus/documents',
    method: 'POST',
    url: () => `/api/v1/knowledge/corpora/${fx.corpus}/documents`,
    payload: () => ({ documents: [{ name: 'more.txt', text: 'More words.' }] }),
    role: 'operator',
    success: 202,
    crossOrg: 'own',
  },
  { name: 'POST /admin/executions/:id/cancel', method: 'POST', url: () => `/admin/executions/${fx.runningAdminCancel}/cancel`, role: 'admin', success: 202, crossOrg: 'id' },
  {
    // Prometheus text: org B's scrape must not name org A's concurrency key (built from its input).
    name: 'GET /metrics',
    method: 'GET',
    url: () => '/metrics',
    role: 'viewer',
    success: 200,
    crossOrg: 'list',
    ownedIds: () => [fx.queueKey],
    check: (r) => expect(r.body).toContain(`wf_concurrency_slots{organization="${ORG_A}",key="${fx.queueKey}",state="queued"} 1`),
  },
];

// A submitter can only submit forms (forms.test.ts): every route here refuses it.
const SMALLER: Record<Role, Role[]> = { viewer: ['submitter'], operator: ['submitter', 'viewer'], admin: ['submitter', 'viewer', 'operator'], submitter: [] };
const keyOfA = (role: Role): string => keys[`a${role[0].toUpperCase()}${role.slice(1)}`];

function expectErrorBody(response: LightMyRequestResponse): void {
  const body = response.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
  expect(response.body).not.toMatch(/\n\s+at /);
}

function expectNoLeak(response: LightMyRequestResponse): void {
  expect(response.body).not.toContain(MARKER);
  expect(response.body).not.toContain(ORG_A);
}

/** Order matters: the success case of a mutating route changes its target, so it runs last. */
describe.each(ROUTES)('$name', (route) => {
  test('no key → 401', async () => {
    const response = await call(route.method, route.url(), undefined, route.payload?.());
    expect(response.statusCode).toBe(401);
    expectErrorBody(response);
  });

  test('a malformed or unknown key → 401', async () => {
    const response = await call(route.method, route.url(), `wfk_key_000000000000_${'x'.repeat(43)}`, route.payload?.());
    expect(response.statusCode).toBe(401);
    expectErrorBody(response);
  });

  for (const smaller of SMALLER[route.role]) {
    test(`a ${smaller} key of the owning organization (needs ${route.role}) → 403`, async () => {
      const response = await call(route.method, route.url(), keyOfA(smaller), route.payload?.());
      expect(response.statusCode).toBe(403);
      expectErrorBody(response);
      expectNoLeak(response);
    });
  }

  if (route.crossOrg === 'id') {
    test("another organization's admin on the first organization's id → 404, nothing leaked", async () => {
      const response = await call(route.method, route.url(), keys.bAdmin, route.payload?.());
      expect(response.statusCode).toBe(404);
      expectErrorBody(response);
      expectNoLeak(response);
    });
  } else if (route.crossOrg === 'list') {
    test("another organization's admin → its own list, without the first organization's ids", async () => {
      const response = await call(route.method, route.url(), keys.bAdmin);
      expect(response.statusCode).toBe(200);
      for (const id of route.ownedIds!()) expect(response.body).not.toContain(id);
      expectNoLeak(response);
    });
  } else {
    test("another organization's admin acts in its own organization only", async () => {
      const response = await call(route.method, route.url(), keys.bAdmin, route.payload?.());
      expect(response.statusCode).toBeLessThan(300);
      if (route.name === 'POST /api/v1/graphs') {
        // Org A already stores this content; for org B it is new: created, not "existing".
        expect(response.statusCode).toBe(201);
        expect(response.json()).toMatchObject({ graphId: fx.postedGraph, version: 1, stored: 'created' });
        const graphs = await engine.pool.query('SELECT organization_id FROM graphs WHERE id = $1', [fx.postedGraph]);
        expect(graphs.rows.map((row) => row.organization_id as string).sort()).toEqual([ORG_A, ORG_B].sort());
      }
      if (route.name === 'GET /api/v1/actions/:ref/queue-stats') {
        // Org B has no queue under this key: empty stats, none of org A's holder or waiter.
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ ref: fx.queueKey, maxConcurrent: null, active: 0, queued: 0, oldestQueuedAt: null });
      }
      if (route.name === 'GET /api/v1/me') expect(response.json().organizationId).toBe(ORG_B);
      if (route.name === 'POST /api/v1/keys') {
        expect(response.json().organizationId).toBe(ORG_B);
        const listA = await call('GET', '/api/v1/keys', keys.aAdmin);
        expect(listA.body).not.toContain(response.json().keyId as string);
      }
      expectNoLeak(response);
    });
  }

  test(`a ${route.role} key of the owning organization → ${route.success}`, async () => {
    const response = await call(route.method, route.url(), keyOfA(route.role), route.payload?.());
    expect(response.statusCode, response.body).toBe(route.success);
    await route.check?.(response);
  });
});

test('the mutations took effect only through the owning organization', async () => {
  await waitStatus(fx.runningCancel, (s) => s === 'cancelled');
  await waitStatus(fx.runningAdminCancel, (s) => s === 'cancelled');
  await waitStatus(fx.runningSignal, (s) => s === 'completed');
  expect((await call('GET', `/api/v1/dlq/${fx.dlqRetry}`, keys.aViewer)).json().status).toMatch(/retrying|retried/);
  expect((await call('GET', `/api/v1/dlq/${fx.dlqDelete}`, keys.aViewer)).json().status).toBe('purged');
  const victim = await engine.pool.query('SELECT revoked_at FROM api_keys WHERE id = $1', [fx.victimKeyId]);
  expect(victim.rows[0].revoked_at).not.toBeNull();
});
