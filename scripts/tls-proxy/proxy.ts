/**
 * A TLS-terminating proxy on 127.0.0.1 in front of a plaintext Temporal: it speaks TLS
 * (ALPN h2, as gRPC needs) to the client and pipes the decrypted bytes to the server.
 * With `clientCa`, it asks for a client certificate and refuses a connection without one
 * signed by that CA (mutual TLS).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsProxy {
  /** host:port to give as TEMPORAL_ADDRESS. */
  address: string;
  /** Connections whose TLS handshake completed and were piped to the server. */
  accepted: number;
  close(): Promise<void>;
}

/** `port`: where to listen on 127.0.0.1 (a free port by default). */
export async function startTlsProxy(options: { target: string; cert: Buffer; key: Buffer; clientCa?: Buffer; port?: number }): Promise<TlsProxy> {
  const [targetHost, targetPort] = splitAddress(options.target);
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const proxy: TlsProxy = { address: '', accepted: 0, close: async () => undefined };
  const server = createServer(
    { cert: options.cert, key: options.key, ALPNProtocols: ['h2'], ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}) },
    (client: TLSSocket) => {
      proxy.accepted += 1;
      const upstream = connectTcp(targetPort, targetHost);
      track(upstream);
      client.pipe(upstream).pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  server.on('connection', track);
  // A refused handshake is the expected outcome of some tests, not a proxy failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  proxy.address = `127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

export function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index).replace(/^\[|\]$/g, ''), Number(address.slice(index + 1))];
}
