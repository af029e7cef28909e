/**
 * Server-sent events of one execution: a `step` event whenever a step changes status or
 * attempts, then an `execution` event when it ends, and the stream closes. Read from the
 * mirror, so any API process can serve any execution. A stream lasts at most `maxMs` (so a
 * forgotten client cannot hold a connection and a poll loop forever): then a `timeout` event
 * with the standard `retry:` field asks the client to reconnect, and a new stream starts by
 * sending every step's current state again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineClient } from '../client';
import { TERMINAL_EXECUTION_STATUSES } from '../workflows/graph/types';

const POLL_MS = 300;
/** The `retry:` a timed-out stream gives: how soon (ms) an EventSource reconnects. */
export const RECONNECT_MS = 1000;
const TERMINAL = new Set<string>(TERMINAL_EXECUTION_STATUSES);

export async function streamExecutionEvents(client: EngineClient, organizationId: string, executionId: string, request: FastifyRequest, reply: FastifyReply, maxMs: number): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let closed = false;
  request.raw.on('close', () => {
    closed = true;
  });
  const send = (event: string, data: unknown): void => {
    raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const seen = new Map<string, string>();
  const endsAt = Date.now() + maxMs;
  while (!closed) {
    if (Date.now() >= endsAt) {
      raw.write(`retry: ${RECONNECT_MS}\n`);
      send('timeout', { executionId, reconnect: true, afterSeconds: Math.round(maxMs / 1000) });
      break;
    }
    let view;
    try {
      view = await client.status(organizationId, executionId);
    } catch {
      view = undefined; // a passing database hiccup: try again
    }
    if (view) {
      for (const [nodeId, step] of Object.entries(view.steps)) {
        const key = `${step.status}:${step.attempts}`;
        if (seen.get(nodeId) === key) continue;
        seen.set(nodeId, key);
        send('step', { executionId, nodeId, ...step });
      }
      if (TERMINAL.has(view.status)) {
        send('execution', { executionId, status: view.status, output: view.output, error: view.error });
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(POLL_MS, endsAt - Date.now()))));
  }
  raw.end();
}
