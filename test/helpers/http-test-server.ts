/**
 * A local HTTP server for http node tests: listens on 127.0.0.1 on a free port, records
 * every request it receives, and answers by route. Tests start and stop it themselves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Route = (request: IncomingMessage & { body: string }, response: ServerResponse, seen: SeenRequest[]) => void | Promise<void>;

export interface TestHttpServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /** Every request so far, oldest first. */
  readonly seen: SeenRequest[];
  /** Requests whose path (without query) is `path`. */
  seenAt(path: string): SeenRequest[];
  stop(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startTestHttpServer(routes: Record<string, Route>): Promise<TestHttpServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, at: Date.now() });
      const path = new URL(request.url ?? '/', 'http://test').pathname;
      const route = routes[path];
      if (!route) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${path}`);
        return;
      }
      await route(Object.assign(request, { body }), response, seen);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    seenAt: (path) => seen.filter((request) => new URL(request.url, 'http://test').pathname === path),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
