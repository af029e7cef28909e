/**
 * Server-sent events of one execution: a `step` event whenever a step changes status or
 * attempts, then an `execution` event when it ends, and the stream closes. Read from the
 * mirror, so any API process can serve any execution.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineClient } from '../client';
import { TERMINAL_EXECUTION_STATUSES } from '../workflows/graph/types';

const POLL_MS = 300;
const TERMINAL = new Set<string>(TERMINAL_EXECUTION_STATUSES);

export async function streamExecutionEvents(client: EngineClient, organizationId: string, executionId: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
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
  while (!closed) {
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
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  raw.end();
}
