/**
 * Property test of every mutating route: generated bodies (arbitrary JSON, wrong types for
 * known fields, unknown fields, huge strings, invalid graph documents, malformed JSON) never
 * get a 5xx, client errors have the `{error: {type, message}}` shape without a stack trace,
 * validation problems carry JSON paths, and a rejected request neither stores nor starts anything.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

const RUNS = 1_000;
const ORG = `fuzz-${randomBytes(3).toString('hex')}`;

let engine: TestEngine;
let api: TestApi;
let adminKey: string;
let storedGraph: string;
let completedExecution: string;

beforeAll(async () => {
  engine = await startTestEngine();
  api = await startTestApi(engine);
  adminKey = await api.key(ORG, 'admin');
  storedGraph = graphId('fuzz');
  const stored = await send('POST', '/api/v1/graphs', { kind: 'json', value: { id: storedGraph, version: 1, nodes: [{ id: 'a', type: 'mock' }] } });
  expect(stored.statusCode).toBe(201);
  const started = await send('POST', '/api/v1/executions', { kind: 'json', value: { graphId: storedGraph } });
  expect(started.statusCode).toBe(202);
  completedExecution = started.json().executionId as string;
  const view = await engine.client.waitForEnd(ORG, completedExecution);
  expect(view.status).toBe('completed');
});

afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };

async function send(method: 'POST', url: string, body: Body): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${adminKey}` };
  if (body.kind === 'none') return api.app.inject({ method, url, headers });
  headers['content-type'] = 'application/json';
  const payload = body.kind === 'json' ? (JSON.stringify(body.value) ?? 'null') : body.text;
  return api.app.inject({ method, url, headers, payload });
}

// ---- generators -------------------------------------------------------------------------

const HUGE = 'x'.repeat(300 * 1024); // over the 256 KiB input limit
const hugeString = fc.constant(HUGE);
/** Nested far past the 64-level limit (once a 500 "Maximum call stack size exceeded"), and U+0000 (which PostgreSQL cannot store). */
const DEEP = `{"input":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)},"payload":${'['.repeat(3000)}${']'.repeat(3000)}}`;
const NUL = { id: 'a\u0000b', name: 'n\u0000', input: { s: '\u0000' }, payload: '\u0000', type: 'x\u0000' };
const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Values that are the wrong type for most known fields. */
const wrongValue = fc.oneof(anyJson, fc.constant(null), fc.constant(''), fc.constant(-1), fc.constant(0), fc.constant(1.5), fc.constant([]), fc.constant({}), fc.constant('Bad Id!'), hugeString);
const unknownFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((key) => key !== '__proto__'),
  anyJson,
  { minKeys: 1, maxKeys: 3 },
);

function withKnownFields(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field, wrongValue])), { requiredKeys: [] });
}

const commonBodies = (fields: string[]): fc.Arbitrary<Body>[] => [
  anyJson.map((value): Body => ({ kind: 'json', value })),
  withKnownFields(fields).map((value): Body => ({ kind: 'json', value })),
  fc.tuple(withKnownFields(fields), unknownFields).map(([known, extra]): Body => ({ kind: 'json', value: { ...extra, ...known } })),
  fc.string({ maxLength: 40 }).map((text): Body => ({ kind: 'raw', text })), // mostly malformed JSON
  fc.constantFrom<Body>({ kind: 'none' }, { kind: 'raw', text: '' }, { kind: 'raw', text: '{"__proto__": {"x": 1}}' }, { kind: 'json', value: { input: HUGE } }, { kind: 'raw', text: DEEP }, { kind: 'json', value: NUL }),
];

const validGraph = (): Record<string, unknown> => ({
  id: `fz-${randomBytes(4).toString('hex')}`,
  version: 1,
  nodes: [
    { id: 'a', type: 'mock' },
    { id: 'b', type: 'mock' },
  ],
  edges: [{ from: 'a', to: 'b' }],
});

/** A graph document broken in one way (each must be rejected). */
const invalidGraph: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom(
      (g: Record<string, unknown>) => ({ ...g, id: 'Bad Id' }),
      (g: Record<string, unknown>) => ({ ...g, id: '' }),
      (g: Record<string, unknown>) => ({ ...g, version: 0 }),
      (g: Record<string, unknown>) => ({ ...g, version: '1' }),
      (g: Record<string, unknown>) => ({ ...g, version: 1.5 }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [] }),
      (g: Record<string, unknown>) => ({ ...g, nodes: 'a' }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [{ id: 'a', type: 'no-such-type' }] }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [{ id: 'a', type: 'mock' }, { id: 'a', type: 'mock' }], edges: [] }),
      (g: Record<string, unknown>) => ({ ...g, edges: [{ from: 'a', to: 'missing' }] }),
      (g: Record<string, unknown>) => ({ ...g, edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [{ id: 'a', type: 'mock', config: { output: { $expr: 'input.(' } } }] , edges: [] }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [{ id: 'a', type: 'wait', config: {} }], edges: [] }),
      (g: Record<string, unknown>) => ({ ...g, nodes: [{ id: 'a', type: 'mock', config: { output: 'y'.repeat(1_100_000) } }], edges: [] }),
      (g: Record<string, unknown>) => {
        const { id: _id, ...rest } = g;
        return rest;
      },
    ),
    fc.option(unknownFields, { nil: undefined }),
  )
  .map(([mutate, extra]): Body => ({ kind: 'json', value: { ...(extra ?? {}), ...mutate(validGraph()) } }));

const graphBodies = fc.oneof(...commonBodies(['id', 'version', 'nodes', 'edges', 'settings']), invalidGraph, invalidGraph);

const startFields = ['graphId', 'version', 'input', 'idempotencyKey', 'deadline'];
/** A body naming the stored graph with exactly one thing wrong: must be a 400 and start nothing. */
const startStoredInvalid: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom<Record<string, unknown>>(
      { input: { big: HUGE } },
      { deadline: 'soon' },
      { deadline: 30 },
      { version: 0 },
      { version: '1' },
      { version: 1.5 },
      { idempotencyKey: '' },
      { idempotencyKey: 'k'.repeat(201) },
      { surprise: true },
    ),
    fc.option(anyJson, { nil: undefined }),
  )
  .map(([broken, input]): Body => ({ kind: 'json', value: { graphId: storedGraph, ...(input === undefined ? {} : { input }), ...broken } }));
/** Well-formed bodies naming graphs that do not exist: 404, nothing started. */
const startMissingGraph: fc.Arbitrary<Body> = fc
  .record({ graphId: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/).map((id) => `nx-${id}`), input: anyJson, idempotencyKey: fc.string({ minLength: 1, maxLength: 20 }) }, { requiredKeys: ['graphId'] })
  .map((value): Body => ({ kind: 'json', value }));
const executionBodies = fc.oneof(...commonBodies(startFields), startStoredInvalid, startStoredInvalid, startMissingGraph);

const signalBodies = fc.oneof(
  ...commonBodies(['payload']),
  anyJson.map((payload): Body => ({ kind: 'json', value: { payload } })),
  fc.constant<Body>({ kind: 'json', value: { payload: HUGE } }),
);
const retryBodies = fc.oneof(
  ...commonBodies(['resume', 'input']),
  fc.record({ resume: fc.boolean(), input: anyJson }, { requiredKeys: [] }).map((value): Body => ({ kind: 'json', value })),
);
const keyBodies = fc.oneof(
  ...commonBodies(['role', 'name']),
  fc.record({ role: fc.oneof(fc.constantFrom('admin', 'operator', 'viewer', 'root', 'Admin', ''), wrongValue), name: fc.oneof(fc.string({ maxLength: 250 }), wrongValue) }, { requiredKeys: [] }).map((value): Body => ({ kind: 'json', value })),
);
const anyBodies = fc.oneof(...commonBodies(['reason', 'force']));

// ---- checks -------------------------------------------------------------------------------

function checkResponse(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
  expect(response.body).not.toMatch(/\n\s+at /);
  if (response.statusCode < 400) return;
  const body = response.json();
  expect(body.error, response.body.slice(0, 500)).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
  if (response.statusCode === 400 && body.error.problems !== undefined) {
    expect(Array.isArray(body.error.problems)).toBe(true);
    for (const problem of body.error.problems as { path: unknown; message: unknown }[]) {
      expect(typeof problem.path).toBe('string');
      expect(problem.path as string, response.body.slice(0, 500)).toMatch(/^\$/);
      expect(typeof problem.message).toBe('string');
    }
  }
}

interface Counts {
  graphs: number;
  executions: number;
  keys: number;
  deadLetters: number;
  workflows: number;
}

async function counts(): Promise<Counts> {
  const one = async (sql: string): Promise<number> => Number((await engine.pool.query<{ n: string }>(sql, [ORG])).rows[0].n);
  let workflows = 0;
  for await (const _ of engine.temporal.workflow.list({ query: `GraphId = "${storedGraph}"` })) workflows++;
  return {
    graphs: await one('SELECT count(*) AS n FROM graphs WHERE organization_id = $1'),
    executions: await one('SELECT count(*) AS n FROM executions WHERE organization_id = $1'),
    keys: await one('SELECT count(*) AS n FROM api_keys WHERE organization_id = $1'),
    deadLetters: await one('SELECT count(*) AS n FROM dead_letters WHERE organization_id = $1'),
    workflows,
  };
}

interface RouteFuzz {
  name: string;
  url: () => string;
  bodies: fc.Arbitrary<Body>;
  /** Which counter a success may legitimately raise, by how much per success status. */
  creates?: { counter: keyof Counts; status: number };
  /** Statuses that a well-formed body may get from this route. */
  okStatuses: number[];
  /** Whether most generated bodies must be rejected (not for routes that ignore or accept any body). */
  mostlyRejected?: false;
}

const ROUTES: RouteFuzz[] = [
  { name: 'POST /api/v1/graphs', url: () => '/api/v1/graphs', bodies: graphBodies, creates: { counter: 'graphs', status: 201 }, okStatuses: [200, 201] },
  { name: 'POST /api/v1/graphs/validate', url: () => '/api/v1/graphs/validate', bodies: graphBodies, okStatuses: [200], mostlyRejected: false },
  { name: 'POST /api/v1/executions', url: () => '/api/v1/executions', bodies: executionBodies, okStatuses: [] },
  // The target already completed: cancelling it is refused (400), whatever the body.
  { name: 'POST /api/v1/executions/:id/cancel', url: () => `/api/v1/executions/${completedExecution}/cancel`, bodies: anyBodies, okStatuses: [] },
  { name: 'POST /api/v1/executions/:id/signals/:name', url: () => `/api/v1/executions/${completedExecution}/signals/fuzz`, bodies: signalBodies, okStatuses: [] },
  { name: 'POST /api/v1/dlq/:id/retry', url: () => `/api/v1/dlq/dlq-nope-${ORG}/retry`, bodies: retryBodies, okStatuses: [] },
  { name: 'POST /api/v1/keys', url: () => '/api/v1/keys', bodies: keyBodies, creates: { counter: 'keys', status: 201 }, okStatuses: [201] },
  { name: 'POST /api/v1/events', url: () => '/api/v1/events', bodies: anyBodies, okStatuses: [202] },
  { name: 'POST /api/v1/triggers', url: () => '/api/v1/triggers', bodies: anyBodies, okStatuses: [201] },
  // No generated body names the stored graph with a valid spec: every one is refused.
  { name: 'POST /api/v1/schedules', url: () => '/api/v1/schedules', bodies: fc.oneof(...commonBodies(['graphId', 'version', 'cron', 'every', 'input', 'overlap'])), okStatuses: [] },
  { name: 'POST /api/v1/forms', url: () => '/api/v1/forms', bodies: fc.oneof(...commonBodies(['formId', 'graphId', 'version'])), okStatuses: [] },
  { name: 'POST /api/v1/forms/:formId/submissions', url: () => '/api/v1/forms/nx-form/submissions', bodies: fc.oneof(...commonBodies(['submissionId', 'data'])), okStatuses: [] },
];

describe('fuzzed bodies on every mutating route', () => {
  test.each(ROUTES)(`$name: ${RUNS} bodies, no 5xx, error shape, no side effects of rejected requests`, async (route) => {
    const before = await counts();
    const byStatus = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(route.bodies, async (body) => {
        const response = await send('POST', route.url(), body);
        byStatus.set(response.statusCode, (byStatus.get(response.statusCode) ?? 0) + 1);
        checkResponse(response);
        if (response.statusCode < 400) expect(route.okStatuses, `${response.statusCode} ${response.body.slice(0, 300)}`).toContain(response.statusCode);
      }),
      { numRuns: RUNS },
    );
    if (process.env.FUZZ_STATS) console.log(route.name, Object.fromEntries(byStatus));
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(RUNS);
    // Mostly rejections: the generators aim at 4xx.
    const rejected = [...byStatus].filter(([status]) => status >= 400).reduce((a, [, n]) => a + n, 0);
    if (route.mostlyRejected !== false) expect(rejected).toBeGreaterThan(RUNS / 2);

    const after = await counts();
    const expected = { ...before };
    if (route.creates) expected[route.creates.counter] += byStatus.get(route.creates.status) ?? 0;
    expect(after).toEqual(expected);
  });

  test('the completed execution is still completed and untouched', async () => {
    const view = await engine.client.status(ORG, completedExecution);
    expect(view.status).toBe('completed');
  });
});
