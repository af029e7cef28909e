/**
 * The Prometheus listener of WF_METRICS_PORT: GET /metrics answers the whole process's
 * registry (every organization) without a key. That is why it listens on 127.0.0.1 only:
 * a scraper on the same host (or a sidecar) reaches it, the network does not.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export const METRICS_HOST = '127.0.0.1';

export interface RunningMetricsListener {
  /** http://127.0.0.1:port/metrics */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port). */
export async function startMetricsListener(registry: Registry, port: number): Promise<RunningMetricsListener> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served here\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      // Postgres down, typically: the scrape fails visibly (Prometheus marks the target down).
      (error: unknown) => response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, METRICS_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = address && typeof address === 'object' ? address.port : port;
  return {
    url: `http://${METRICS_HOST}:${bound}/metrics`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Scrapers keep connections alive: cut idle ones so close() does not wait for them.
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
