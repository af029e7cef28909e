/**
 * The `http` node against a local server (127.0.0.1, started here), on the bench's running
 * stack after the other measurements, or alone with BENCH_HTTP_ONLY=1.
 *
 * 1. Per-call overhead, in this process, without Temporal: the node's work (runHttp: secret
 *    scope, request building, Idempotency-Key, timeout and cancellation signals, heartbeat
 *    timer, the guarded keep-alive dispatcher, bounded reading, JSON parsing) beside a plain
 *    undici `request` + `body.json()` on its own keep-alive Agent. Both run inside
 *    MockActivityEnvironment, alternating in blocks, so the difference is the node's own.
 * 2. Executions per second of a 10-node chain of `http` nodes beside the 10-node chain of
 *    `mock` nodes, through EngineClient with BENCH_CONCURRENCY in flight, two rounds each,
 *    in alternating order.
 *
 * Settings (env): BENCH_HTTP_CALLS (2000 timed calls per side, after 200 warm-up),
 * BENCH_HTTP_EXECUTIONS (40 executions per chain and round).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Agent, request } from 'undici';
import type { EngineClient } from '../src/client';
import type { ActivityDeps } from '../src/activities';
import { runHttp } from '../src/activities/nodes/http/run';
import { SecretScope } from '../src/activities/secret-scope';
import { intEnv } from './env';
import { chainGraph } from './graphs';
import { chainNodeIds } from './shapes';
import { median, percentile } from './stats';

export const HTTP_ENV_KNOBS = ['BENCH_HTTP_CALLS', 'BENCH_HTTP_EXECUTIONS', 'BENCH_HTTP_ONLY'];
const BLOCK = 100;

export interface HttpBenchDeps {
  engine: EngineClient;
  organizationId: string;
  /** The worker's, so the in-process node uses the same egress rules (loopback allowed). */
  activityDeps: ActivityDeps;
  concurrency: number;
  progress: (message: string) => void;
}

export interface HttpBenchResults {
  settings: { calls: number; warmup: number; executions: number; rounds: number; concurrency: number };
  perCall: { plain: { median: number; p95: number }; node: { median: number; p95: number } };
  chains: { http: number; mock: number };
}

function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const server = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(body));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/ok`, close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))) });
    }),
  );
}

/** Microseconds per call of `call`, BLOCK calls at a time, alternating with the other side. */
async function perCall(deps: HttpBenchDeps, url: string, calls: number, warmup: number): Promise<HttpBenchResults['perCall']> {
  const environment = new MockActivityEnvironment();
  const agent = new Agent();
  const input = { executionId: 'bench', organizationId: deps.organizationId, nodeId: 'call', nodeType: 'http', config: { url }, input: null } as Parameters<typeof runHttp>[0];
  const sides = {
    plain: async () => {
      const answer = await request(url, { dispatcher: agent });
      await answer.body.json();
    },
    node: async () => {
      await runHttp(input, Context.current(), new SecretScope(deps.organizationId, undefined), deps.activityDeps);
    },
  };
  const samples = { plain: [] as number[], node: [] as number[] };
  for (let done = 0; done < warmup + calls; done += BLOCK) {
    for (const side of done % (2 * BLOCK) === 0 ? (['plain', 'node'] as const) : (['node', 'plain'] as const)) {
      await environment.run(async () => {
        for (let i = 0; i < BLOCK; i++) {
          const start = performance.now();
          await sides[side]();
          if (done >= warmup) samples[side].push((performance.now() - start) * 1000);
        }
      });
    }
  }
  await agent.close();
  const summary = (values: number[]) => ({ median: median(values), p95: percentile(values, 95) });
  return { plain: summary(samples.plain), node: summary(samples.node) };
}

function httpChain(url: string): Record<string, unknown> {
  const ids = chainNodeIds();
  return {
    id: 'bench-http-chain',
    version: 1,
    name: 'Benchmark: 10-node chain of http nodes against a local server',
    nodes: ids.map((id) => ({ id, type: 'http', config: { url } })),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

/** Executions per second of `graph`, `count` of them with `concurrency` in flight. */
async function chainThroughput(deps: HttpBenchDeps, graph: Record<string, unknown>, count: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(deps.concurrency, count) }, async () => {
      while (next++ < count) {
        const { executionId } = await deps.engine.start({ organizationId: deps.organizationId, graph, input: null });
        const view = await deps.engine.waitForEnd(deps.organizationId, executionId);
        if (view.status !== 'completed') throw new Error(`http bench: ${graph.id as string} ended ${view.status}: ${JSON.stringify(view.error)}`);
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

export async function runHttpBench(deps: HttpBenchDeps): Promise<HttpBenchResults> {
  const settings = { calls: intEnv('BENCH_HTTP_CALLS', 2000), warmup: 200, executions: intEnv('BENCH_HTTP_EXECUTIONS', 40), rounds: 2, concurrency: deps.concurrency };
  const server = await startServer();
  try {
    deps.progress(`http node: per-call overhead, ${settings.warmup} warm-up + ${settings.calls} calls per side`);
    const calls = await perCall(deps, server.url, settings.calls, settings.warmup);
    deps.progress(`  plain undici median ${calls.plain.median.toFixed(0)} µs, http node median ${calls.node.median.toFixed(0)} µs`);
    const graphs = { http: httpChain(server.url), mock: chainGraph() };
    const seconds = { http: 0, mock: 0 };
    await chainThroughput(deps, graphs.http, deps.concurrency); // warm-up: the graph version stored, connections open
    for (let round = 0; round < settings.rounds; round++) {
      for (const name of round % 2 === 0 ? (['http', 'mock'] as const) : (['mock', 'http'] as const)) {
        const perSecond = await chainThroughput(deps, graphs[name], settings.executions);
        seconds[name] += settings.executions / perSecond;
        deps.progress(`  ${name} chain round ${round + 1}: ${perSecond.toFixed(1)} exec/s`);
      }
    }
    const total = settings.executions * settings.rounds;
    return { settings, perCall: calls, chains: { http: total / seconds.http, mock: total / seconds.mock } };
  } finally {
    await server.close();
  }
}

export function httpTable(results: HttpBenchResults): string {
  const { plain, node } = results.perCall;
  return [
    '| measurement | plain undici / mock chain | http node / http chain | difference |',
    '| --- | ---: | ---: | ---: |',
    `| one call, median µs | ${plain.median.toFixed(0)} | ${node.median.toFixed(0)} | +${(node.median - plain.median).toFixed(0)} µs |`,
    `| one call, p95 µs | ${plain.p95.toFixed(0)} | ${node.p95.toFixed(0)} | +${(node.p95 - plain.p95).toFixed(0)} µs |`,
    `| 10-node chain, exec/s | ${results.chains.mock.toFixed(1)} | ${results.chains.http.toFixed(1)} | ${(results.chains.mock / results.chains.http).toFixed(2)}x |`,
  ].join('\n');
}

export function httpMarkdown(results: HttpBenchResults, command: string): string {
  const { calls, warmup, executions, rounds, concurrency } = results.settings;
  return `## http node

The \`http\` node against a local server on 127.0.0.1 that answers a small JSON body (bench/http.ts;
\`BENCH_HTTP_ONLY=1 npm run bench\` runs only this part and prints it without rewriting this file).

- Command: \`${command}\`
- **one call**: in the bench process, without Temporal: the node's work (\`runHttp\`) beside a plain undici
  \`request\` + \`body.json()\` on its own keep-alive Agent, both inside \`MockActivityEnvironment\`, alternating in
  blocks of ${BLOCK}; ${warmup} warm-up then ${calls} timed calls per side. Connections are reused on both sides,
  so the egress guard (which runs when a connection opens) is mostly outside the steady state.
- **10-node chain**: executions per second of a chain of 10 \`http\` nodes beside the chain of 10 \`mock\` nodes,
  through \`EngineClient\` (start + waitForEnd), ${concurrency} in flight, ${rounds} rounds of ${executions}
  executions each in alternating order; the difference column is mock / http (> 1: the http chain is slower).
  Knobs: \`BENCH_HTTP_CALLS\`, \`BENCH_HTTP_EXECUTIONS\`.

${httpTable(results)}
`;
}
