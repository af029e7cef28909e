/**
 * A webhook receiver on 127.0.0.1 (a free port the OS picks) that records every request with
 * its raw body and answers the statuses it was told, in order (200 once they run out).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Requests to one path (receivers share a server, each webhook its own path). */
  at(path: string): ReceivedRequest[];
  /** The statuses to answer on `path`, in order; 200 afterwards. */
  script(path: string, statuses: number[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, number[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const status = scripts.get(path)?.shift() ?? 200;
      received.push({ path, headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8'), answeredWith: status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    script: (path, statuses) => void scripts.set(path, [...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
