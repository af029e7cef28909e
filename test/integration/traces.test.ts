/**
 * Traces (DESIGN §15): with telemetry on, one POST /api/v1/executions of a two-node graph makes
 * one trace, from the API's request span through the client's StartWorkflow, the workflow's
 * RunWorkflow and each node's RunActivity, exported over OTLP/HTTP (JSON) to a receiver this
 * test starts on 127.0.0.1. The worker runs its own bundle with the tracing interceptors (the
 * shared test bundle has none); the recorded histories must replay against that bundle too.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { EngineClient } from '../../src/client';
import { createApiKey } from '../../src/client/keys';
import { quietReplayRuntime, readHistoryFile, replayHistories } from '../../src/replay/replay';
import { createPool } from '../../src/store/pool';
import { startTelemetry, WORKFLOW_TRACING_MODULES, type Telemetry } from '../../src/telemetry';
import { createEngineWorker, WORKFLOWS_PATH } from '../../src/worker';
import { TRACE_ATTRIBUTES } from '../../src/workflows/contracts/trace-attributes';
import { auth } from '../helpers/api';
import { createTestDatabase, silentLogger } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { waitFor } from '../helpers/wait-for';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../src/workflow-bundle-options';

const quiet = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let bundleCode: string;
let pool: Pool;
let connection: Connection;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let api: FastifyInstance;
let apiUrl: string;

beforeAll(async () => {
  Runtime.install(quietReplayRuntime());
  receiver = await startOtlpReceiver();
  telemetry = await startTelemetry({ tracesUrl: receiver.tracesUrl, headers: { 'x-collector-token': 'test-token' }, serviceName: 'wf-traces-test' });
  bundleCode = (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLER_OPTIONS, workflowInterceptorModules: WORKFLOW_TRACING_MODULES, logger: quiet })).code;
  pool = createPool(await createTestDatabase());
  const address = inject('temporalAddress');
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', interceptors: { workflow: telemetry.clientInterceptors } });
  nativeConnection = await NativeConnection.connect({ address });
  worker = await createEngineWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool, logger: silentLogger, workflowBundle: { code: bundleCode }, telemetry });
  running = worker.run();
  api = await buildApi({ client: new EngineClient({ temporal, pool, taskQueue }), pool }, { telemetry });
  // A real socket, not inject: the request body then arrives through socket events, outside the request span's context.
  await api.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
  await telemetry?.shutdown();
  await pool?.end();
  await receiver?.stop();
});

/** The chain of parents from `span` up, as names, within the received spans. */
function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): string[] {
  const names: string[] = [];
  for (let parent = spans.find((s) => s.spanId === span.parentSpanId); parent; parent = spans.find((s) => s.spanId === parent!.parentSpanId)) names.push(parent.name);
  return names;
}

test('one trace from the API request through the workflow to each node activity, named by organization, graph, version, execution and node', async () => {
  await pool.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme') ON CONFLICT DO NOTHING");
  const key = (await createApiKey(pool, 'acme', 'operator')).apiKey;
  const id = graphId('traces');
  const graph = { id, version: 1, nodes: [{ id: 'first', type: 'mock', config: { output: { n: 1 } } }, { id: 'second', type: 'mock', config: { output: { n: 2 } } }], edges: [{ from: 'first', to: 'second' }] };
  expect((await api.inject({ method: 'POST', url: '/api/v1/graphs', headers: auth(key), payload: graph })).statusCode).toBe(201);

  // The caller's own trace: the request span must continue it.
  const callerTraceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const started = await fetch(`${apiUrl}/api/v1/executions`, { method: 'POST', headers: { ...auth(key), 'content-type': 'application/json', traceparent: `00-${callerTraceId}-${callerSpanId}-01` }, body: JSON.stringify({ graphId: id }) });
  expect(started.status).toBe(202);
  const { executionId } = (await started.json()) as { executionId: string };
  await waitFor('the execution to complete', 30_000, async () => ((await api.inject({ method: 'GET', url: `/api/v1/executions/${executionId}`, headers: auth(key) })).json().status === 'completed' ? true : undefined), 100);

  const traced = await waitFor('the node activity spans', 30_000, async () => {
    await telemetry.flush();
    const spans = receiver.spans.filter((span) => span.traceId === callerTraceId);
    const nodes = spans.filter((span) => span.name === 'RunActivity:mock');
    return nodes.length === 2 && spans.some((span) => span.name === 'RunWorkflow:graphExecution') ? spans : undefined;
  }, 200);

  const request = traced.find((span) => span.name === 'POST /api/v1/executions');
  expect(request, 'the API request span').toBeDefined();
  expect(request!.parentSpanId).toBe(callerSpanId);
  expect(request!.serviceName).toBe('wf-traces-test');
  expect(request!.attributes).toMatchObject({ 'http.response.status_code': 202, [TRACE_ATTRIBUTES.organization]: 'acme', [TRACE_ATTRIBUTES.graphId]: id, [TRACE_ATTRIBUTES.graphVersion]: 1, [TRACE_ATTRIBUTES.executionId]: executionId });

  const start = traced.find((span) => span.name === 'StartWorkflow:graphExecution');
  expect(start?.parentSpanId).toBe(request!.spanId);
  const run = traced.find((span) => span.name === 'RunWorkflow:graphExecution');
  expect(run?.parentSpanId).toBe(start!.spanId);
  expect(run!.attributes).toMatchObject({ [TRACE_ATTRIBUTES.graphId]: id, [TRACE_ATTRIBUTES.executionId]: executionId });

  const nodes = traced.filter((span) => span.name === 'RunActivity:mock');
  expect(nodes.map((span) => span.attributes[TRACE_ATTRIBUTES.nodeId]).sort()).toEqual(['first', 'second']);
  for (const node of nodes) {
    expect(node.attributes).toMatchObject({ [TRACE_ATTRIBUTES.organization]: 'acme', [TRACE_ATTRIBUTES.graphId]: id, [TRACE_ATTRIBUTES.graphVersion]: 1, [TRACE_ATTRIBUTES.executionId]: executionId, [TRACE_ATTRIBUTES.nodeType]: 'mock' });
    // Activity ← StartActivity ← RunWorkflow ← StartWorkflow ← the request.
    expect(ancestors(node, traced)).toEqual(['StartActivity:mock', 'RunWorkflow:graphExecution', 'StartWorkflow:graphExecution', 'POST /api/v1/executions']);
  }
  // OTEL_EXPORTER_OTLP_HEADERS reach the receiver.
  expect(receiver.lastHeaders?.['x-collector-token']).toBe('test-token');
}, 90_000);

test('a request without a caller trace starts its own, and requests that start nothing are traced too', async () => {
  const before = receiver.spans.length;
  expect((await api.inject({ method: 'GET', url: '/api/v1/executions' })).statusCode).toBe(401);
  const span = await waitFor('the request span', 10_000, async () => {
    await telemetry.flush();
    return receiver.spans.slice(before).find((s) => s.name === 'GET /api/v1/executions');
  });
  expect(span.parentSpanId).toBe('');
  expect(span.attributes['http.response.status_code']).toBe(401);
});

test('the recorded histories replay against the bundle with the tracing interceptors', async () => {
  const directory = fileURLToPath(new URL('../histories', import.meta.url));
  const files = readdirSync(directory).filter((name) => name.endsWith('.json'));
  const histories = await Promise.all(files.map((name) => readHistoryFile(join(directory, name))));
  const verdicts = await replayHistories(histories, { workflowBundle: { code: bundleCode } });
  expect(verdicts).toHaveLength(files.length);
  expect(verdicts.filter((verdict) => !verdict.deterministic).map((verdict) => `${verdict.source}: ${verdict.problem?.message}`)).toEqual([]);
}, 120_000);
