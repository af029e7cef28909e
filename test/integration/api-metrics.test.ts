/**
 * Metrics on the real stack. GET /metrics on the API port needs a key and answers only that
 * key's organization; the WF_METRICS_PORT listener serves every organization without a key,
 * on 127.0.0.1 only. promtool (Prometheus' own checker) accepts both scrapes, and step
 * durations are a histogram bucketed by Postgres.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createMetrics, type ApiMetrics } from '../../src/api/metrics';
import { startMetricsListener, type RunningMetricsListener } from '../../src/api/metrics-listener';
import { startApi } from '../../src/api/server';
import { createApiKey } from '../../src/client/keys';
import type { Role } from '../../src/common/keys';
import { auth } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { freePort } from '../helpers/free-port';
import { graphId } from '../helpers/graphs';
import { promtoolCheckMetrics } from '../helpers/promtool';

const suffix = randomBytes(3).toString('hex');
const ORG_A = `metrics-a-${suffix}`;
const ORG_B = `metrics-b-${suffix}`;
/** Steps with known durations, written straight to the mirror. */
const ORG_C = `metrics-c-${suffix}`;
/** Concurrency keys are built from execution input: they are tenant data. */
const KEY_A = `acct:alpha-${suffix}`;
const KEY_B = `acct:beta-${suffix}`;

let engine: TestEngine;
let metrics: ApiMetrics;
let app: Awaited<ReturnType<typeof buildApi>>;
let listener: RunningMetricsListener;
const keys: Record<string, string> = {};
const held: { organizationId: string; executionId: string }[] = [];

async function key(organizationId: string, role: Role): Promise<string> {
  await engine.pool.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [organizationId]);
  return (await createApiKey(engine.pool, organizationId, role)).apiKey;
}

/** Waits for `probe` to hold; the timeout names what was last seen. */
async function until(what: string, probe: () => Promise<boolean>, seen: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** In `organizationId`: one execution that completes and `waiting` that share one concurrency key of max 1 (one holds the slot, the rest queue). */
async function populate(organizationId: string, operator: string, concurrencyKey: string, waiting: number): Promise<void> {
  const quick = { id: graphId('metrics-quick'), version: 1, nodes: [{ id: 'a', type: 'mock', config: { delayMs: 30 } }] };
  const limited = {
    id: graphId('metrics-limited'),
    version: 1,
    settings: { concurrency: { key: 'input.key', max: 1 } },
    nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }],
  };
  for (const graph of [quick, limited]) expect((await app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: graph })).statusCode).toBe(201);
  const start = async (graph: string, input: unknown): Promise<string> => {
    const started = await app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(operator), payload: { graphId: graph, input } });
    expect(started.statusCode, started.body).toBe(202);
    return started.json().executionId as string;
  };
  const completed = await start(quick.id, {});
  for (let i = 0; i < waiting; i++) held.push({ organizationId, executionId: await start(limited.id, { key: concurrencyKey }) });
  let count: Record<string, number> = {};
  await until(
    `${organizationId}'s executions`,
    async () => {
      const found = await engine.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM executions WHERE organization_id = $1 GROUP BY status', [organizationId]);
      count = Object.fromEntries(found.rows.map((row) => [row.status, row.n]));
      return count.completed === 1 && count.running === 1 && count.queued === waiting - 1;
    },
    () => JSON.stringify(count),
  );
  expect(completed).toBeTruthy();
}

/** One execution of ORG_B that fails for good: a dead letter and a failed attempt. */
async function failOnce(operator: string): Promise<void> {
  const failing = { id: graphId('metrics-fail'), version: 1, nodes: [{ id: 'boom', type: 'mock', config: { fail: { type: 'Nope', nonRetryable: true } } }] };
  expect((await app.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(operator), payload: failing })).statusCode).toBe(201);
  expect((await app.inject({ method: 'POST', url: '/api/v1/executions', headers: auth(operator), payload: { graphId: failing.id } })).statusCode).toBe(202);
  await until('the dead letter', async () => ((await engine.pool.query("SELECT 1 FROM dead_letters WHERE organization_id = $1 AND status = 'open'", [ORG_B])).rowCount ?? 0) > 0);
}

/** Steps of ORG_C (made with its key) lasting exactly 0.005 s (a bucket bound: counted in it), 0.2 s, 7 s and 4000 s (beyond the last bound). */
async function writeTimedSteps(): Promise<void> {
  const executionId = `exec-metrics-c-${suffix}`;
  await engine.pool.query("INSERT INTO executions (id, organization_id, graph_id, graph_version, status, workflow_id) VALUES ($1, $2, 'timed', 1, 'completed', $1)", [executionId, ORG_C]);
  for (const [node, seconds] of [['n1', '0.005'], ['n2', '0.2'], ['n3', '7'], ['n4', '4000']]) {
    await engine.pool.query(
      "INSERT INTO execution_steps (execution_id, node_id, organization_id, node_type, status, started_at, finished_at) VALUES ($1, $2, $3, 'timed', 'completed', now() - $4::interval, now())",
      [executionId, node, ORG_C, `${seconds} seconds`],
    );
  }
}

beforeAll(async () => {
  engine = await startTestEngine();
  metrics = createMetrics(engine.pool);
  app = await buildApi({ client: engine.client, pool: engine.pool }, { metrics });
  await app.ready();
  listener = await startMetricsListener(metrics.registry, 0);
  keys.aOperator = await key(ORG_A, 'operator');
  keys.aViewer = await key(ORG_A, 'viewer');
  keys.bOperator = await key(ORG_B, 'operator');
  keys.bViewer = await key(ORG_B, 'viewer');
  keys.cViewer = await key(ORG_C, 'viewer');
  await populate(ORG_A, keys.aOperator, KEY_A, 2);
  await populate(ORG_B, keys.bOperator, KEY_B, 3);
  await failOnce(keys.bOperator);
  await writeTimedSteps();
}, 240_000);

afterAll(async () => {
  for (const { organizationId, executionId } of held) await engine.client.cancel(organizationId, executionId).catch(() => undefined);
  await listener?.close();
  await app?.close();
  await engine?.stop();
});

const scrape = async (apiKey?: string) => app.inject({ method: 'GET', url: '/metrics', headers: auth(apiKey) });

test('GET /metrics without a key → 401, with an unknown key → 401', async () => {
  const none = await scrape();
  expect(none.statusCode).toBe(401);
  expect(none.json().error.type).toBe('Unauthorized');
  expect(none.body).not.toContain('wf_');
  expect((await scrape(`wfk_key_000000000000_${'x'.repeat(43)}`)).statusCode).toBe(401);
});

test("GET /metrics with a key answers that organization's figures only", async () => {
  const a = await scrape(keys.aViewer);
  expect(a.statusCode).toBe(200);
  expect(a.headers['content-type']).toContain('text/plain');
  expect(a.body).toContain(`wf_concurrency_slots{organization="${ORG_A}",key="${KEY_A}",state="active"} 1`);
  expect(a.body).toContain(`wf_concurrency_slots{organization="${ORG_A}",key="${KEY_A}",state="queued"} 1`);
  // Org B has 2 queued: a process-wide count would be 3.
  expect(a.body).toContain('wf_executions{status="queued"} 1');
  expect(a.body).toContain('wf_executions{status="completed"} 1');
  expect(a.body).toMatch(/wf_step_duration_seconds_count\{node_type="mock"\} 1\n/);
  // Org B's failed execution: a dead letter and a failed attempt, neither counted for A.
  expect(a.body).toContain('wf_dead_letters_open 0\n');
  expect(a.body).toContain('wf_step_attempts{status="completed"} 1\n');
  expect(a.body).not.toContain('wf_step_attempts{status="failed"}');
  expect(a.body).not.toContain(ORG_B);
  expect(a.body).not.toContain(KEY_B);
  expect(a.body).not.toContain(ORG_C);
  expect(a.body).not.toContain('node_type="timed"');
  // Request latency counts every organization's requests: only on the private listener.
  expect(a.body).not.toContain('wf_api_request_duration_seconds');

  const b = await scrape(keys.bViewer);
  expect(b.body).toContain(`wf_concurrency_slots{organization="${ORG_B}",key="${KEY_B}",state="queued"} 2`);
  expect(b.body).toContain('wf_executions{status="queued"} 2');
  expect(b.body).toContain('wf_dead_letters_open 1\n');
  expect(b.body).toContain('wf_step_attempts{status="failed"} 1\n');
  expect(b.body).not.toContain(ORG_A);
  expect(b.body).not.toContain(KEY_A);
});

test('wf_step_duration_seconds is a histogram bucketed by Postgres: cumulative, a duration equal to a bound counted in it', async () => {
  const c = (await scrape(keys.cViewer)).body;
  expect(c).toContain('# TYPE wf_step_duration_seconds histogram');
  const bucket = (le: string): number => Number(new RegExp(`wf_step_duration_seconds_bucket\\{node_type="timed",le="${le.replace('+', '\\+')}"\\} (\\S+)`).exec(c)?.[1]);
  expect(bucket('0.001')).toBeNaN(); // not one of the bounds
  expect([bucket('0.005'), bucket('0.1'), bucket('0.25'), bucket('5'), bucket('10'), bucket('3600'), bucket('+Inf')]).toEqual([1, 1, 2, 2, 3, 3, 4]);
  expect(c).toContain('wf_step_duration_seconds_count{node_type="timed"} 4\n');
  const sum = Number(/wf_step_duration_seconds_sum\{node_type="timed"\} (\S+)/.exec(c)?.[1]);
  expect(sum).toBeCloseTo(4007.205, 2);
  expect(c).not.toContain('quantile');
});

test('the WF_METRICS_PORT listener serves every organization without a key, bound to 127.0.0.1 only', async () => {
  const address = listener.server.address();
  expect(address).toMatchObject({ address: '127.0.0.1' });
  const port = (address as { port: number }).port;
  expect((await scrape(keys.aViewer)).statusCode).toBe(200); // a request for the latency histogram to count
  const response = await fetch(listener.url);
  expect(response.status).toBe(200);
  const body = await response.text();
  for (const [org, concurrencyKey] of [[ORG_A, KEY_A], [ORG_B, KEY_B]]) expect(body).toContain(`wf_concurrency_slots{organization="${org}",key="${concurrencyKey}",state="active"} 1`);
  expect(body).toContain('wf_executions{status="queued"} 3');
  expect(body).toContain('node_type="timed"');
  expect(body).toMatch(/wf_api_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/metrics",status="200"\}/);
  expect((await fetch(listener.url.replace('/metrics', '/other'))).status).toBe(404);
  // From this machine's other addresses the port is closed (where it has any).
  for (const other of Object.values(networkInterfaces()).flat()) {
    if (!other || other.internal || other.family !== 'IPv4') continue;
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: other.address, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused, `${other.address}:${port}`).toBe('ECONNREFUSED');
  }
});

test('promtool check metrics accepts both scrapes', async () => {
  const scoped = (await scrape(keys.aViewer)).body;
  const whole = await (await fetch(listener.url)).text();
  for (const [name, text] of [['GET /metrics', scoped], ['WF_METRICS_PORT', whole]]) {
    expect(text).toContain('wf_step_duration_seconds_bucket');
    const checked = await promtoolCheckMetrics(text);
    expect(checked, `${name}:\n${checked.output}`).toEqual({ code: 0, output: '' });
  }
});

test('startApi serves WF_METRICS_PORT on 127.0.0.1 and closes it with the API', async () => {
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const config = { temporalAddress: inject('temporalAddress'), temporalNamespace: 'default', databaseUrl: engine.databaseUrl, taskQueue: engine.taskQueue, organizationId: 'default' };
  const running = await startApi(config, engine.pool, { host: '127.0.0.1', port: apiPort, logLevel: 'silent', metricsPort });
  let closed = false;
  try {
    expect(running.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
    const body = await (await fetch(running.metricsUrl!)).text();
    expect(body).toContain(KEY_A);
    expect(body).toContain(KEY_B);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    await running.close();
    closed = true;
    await expect(fetch(running.metricsUrl!)).rejects.toThrow();
  } finally {
    if (!closed) await running.close();
  }
});
