/**
 * The outside service the chaos workers' side effects reach (scripts/chaos/side-effects.ts):
 * an HTTP server on 127.0.0.1 that applies each effect once per idempotency key, as a
 * well-behaved downstream does, and keeps every delivery with the time it arrived (the
 * suite's clock), for the duplicate figures and the recovery times.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttemptEnd, Delivery } from './side-effects';

export interface ReceivedDelivery extends Delivery {
  receivedAt: number;
  /** Whether this delivery applied the effect (the first with its key) or was deduped. */
  applied: boolean;
}

export interface ReceivedEnd extends AttemptEnd {
  receivedAt: number;
}

export interface EffectFigures {
  deliveries: number;
  /** Deliveries beyond the first of their key: retries of an attempt that had already sent it. */
  deliveriesRepeated: number;
  /** Of those, repeats whose earlier attempt never reported its end (cut off by a fault). */
  repeatedAfterLostAttempt: number;
  effectsApplied: number;
  /**
   * Temporal activities (workflow id + activity id) whose effect was applied more than once:
   * their attempts carried different keys, so dedupe by key could not catch the repeat.
   */
  effectsAppliedTwice: number;
}

export interface Receiver {
  url: string;
  deliveries: readonly ReceivedDelivery[];
  ends: readonly ReceivedEnd[];
  figures(): EffectFigures;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: ReceivedDelivery[] = [];
  const ends: ReceivedEnd[] = [];
  const applied = new Set<string>();
  const server = createServer((request, response) => {
    readJson(request).then(
      (body) => {
        const receivedAt = Date.now();
        if (request.url === '/effects') {
          const delivery = body as Delivery;
          const first = !applied.has(delivery.idempotencyKey);
          applied.add(delivery.idempotencyKey);
          deliveries.push({ ...delivery, receivedAt, applied: first });
        } else if (request.url === '/attempts/ended') {
          ends.push({ ...(body as AttemptEnd), receivedAt });
        } else {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(204).end();
      },
      () => response.writeHead(400).end(),
    );
  });
  // Workers keep connections open between attempts; a kill must not leave the server waiting on them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const figures = (): EffectFigures => {
    const ended = new Set(ends.map((end) => `${end.idempotencyKey}#${end.attempt}`));
    const seen = new Map<string, ReceivedDelivery>();
    let repeatedAfterLostAttempt = 0;
    for (const delivery of deliveries) {
      const earlier = seen.get(delivery.idempotencyKey);
      if (earlier && !ended.has(`${earlier.idempotencyKey}#${earlier.attempt}`)) repeatedAfterLostAttempt++;
      seen.set(delivery.idempotencyKey, delivery);
    }
    const appliedPerActivity = new Map<string, number>();
    for (const delivery of deliveries.filter((d) => d.applied)) {
      const activity = `${delivery.workflowId}/${delivery.activityId}`;
      appliedPerActivity.set(activity, (appliedPerActivity.get(activity) ?? 0) + 1);
    }
    return {
      deliveries: deliveries.length,
      deliveriesRepeated: deliveries.length - applied.size,
      repeatedAfterLostAttempt,
      effectsApplied: applied.size,
      effectsAppliedTwice: [...appliedPerActivity.values()].filter((n) => n > 1).length,
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    ends,
    figures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
