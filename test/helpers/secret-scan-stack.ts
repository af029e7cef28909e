/**
 * The stack of test/integration/secret-scan.test.ts: a worker and an API whose every log line
 * (the engine's logger, the Temporal SDK's, Fastify's) is kept for the scan, and a local
 * server that echoes each request it gets back in its response body, so that an output or an
 * error excerpt would carry a secret unless the engine redacted it.
 */
import { inspect } from 'node:util';
import type { IncomingMessage } from 'node:http';
import { NativeConnection, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApi } from '../../src/api/app';
import { LOCAL_DEVELOPMENT_ALLOW, parseEgressAllow } from '../../src/common/egress-allow';
import type { Logger } from '../../src/common/logger';
import { createEngineWorker } from '../../src/worker';
import type { TestEngine } from './engine';
import type { Route } from './http-test-server';

/** Every line any part of the stack logged, tagged with who logged it. */
export interface CapturedLogs {
  lines: { source: string; text: string }[];
}

/** inspect, not JSON.stringify: an Error's message, stack and cause are written out too. */
const logText = (value: unknown): string => inspect(value, { depth: 12, breakLength: Infinity, maxStringLength: Infinity, maxArrayLength: Infinity });

export function capturingLogger(logs: CapturedLogs, source: string): Logger {
  const keep = (level: string) => (obj: object, msg?: string) => void logs.lines.push({ source, text: `${level} ${msg ?? ''} ${logText(obj)}` });
  return { info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/**
 * The SDK's logger (worker, activity and workflow logs, Core's forwarded lines) at every
 * level. startTestEngine installed the process's Runtime with a quiet logger; its `log`
 * is where every level ends, so it is replaced on that one object.
 */
export function captureSdkLogs(logs: CapturedLogs): void {
  const sdk = Runtime.instance().logger as { log(level: LogLevel, message: string, meta?: LogMetadata): void };
  sdk.log = (level, message, meta) => void logs.lines.push({ source: 'temporal-sdk', text: `${level} ${message} ${logText(meta)}` });
}

/** A worker on the engine's task queue that logs into `logs`; resolves to its stop function. */
export async function startScanWorker(engine: TestEngine, logs: CapturedLogs): Promise<() => Promise<void>> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createEngineWorker({
    connection,
    namespace: 'default',
    taskQueue: engine.taskQueue,
    pool: engine.pool,
    logger: capturingLogger(logs, 'worker'),
    secretCipher: engine.secretCipher,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    http: { allow: parseEgressAllow(LOCAL_DEVELOPMENT_ALLOW) },
    notifications: { relayIntervalMs: 200, retry: { initialIntervalMs: 200, maximumIntervalMs: 1000 } },
  });
  const running = worker.run();
  return async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  };
}

/** The API as src/api/server.ts builds it (its redaction included), logging at trace into `logs`. */
export async function startScanApi(engine: TestEngine, logs: CapturedLogs): Promise<FastifyInstance> {
  const stream = { write: (line: string) => void logs.lines.push({ source: 'api', text: line }) };
  const app = await buildApi(
    { client: engine.client, pool: engine.pool, secretCipher: engine.secretCipher },
    { logger: { level: 'trace', redact: ['req.headers.authorization'], stream }, limits: { sseMaxSeconds: 10 } },
  );
  await app.ready();
  return app;
}

function echo(request: IncomingMessage & { body: string }): string {
  const url = new URL(request.url ?? '/', 'http://echo');
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
  return JSON.stringify({ method: request.method, url: request.url, query, headers: request.headers, body: request.body });
}

const json = { 'content-type': 'application/json' };

/** /echo answers 200, /refuse 400, /flaky 503 on the first call of each Idempotency-Key then 200: each with the request echoed. /hook takes the notify node's posts, /events the webhook's deliveries. */
export function echoRoutes(): Record<string, Route> {
  const flakyCalls = new Map<string, number>();
  return {
    '/echo': (request, response) => void response.writeHead(200, json).end(echo(request)),
    '/refuse': (request, response) => void response.writeHead(400, json).end(echo(request)),
    '/flaky': (request, response) => {
      const key = String(request.headers['idempotency-key']);
      const calls = (flakyCalls.get(key) ?? 0) + 1;
      flakyCalls.set(key, calls);
      response.writeHead(calls === 1 ? 503 : 200, json).end(echo(request));
    },
    '/hook': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    '/events': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  };
}
