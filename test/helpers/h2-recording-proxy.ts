/**
 * A plaintext HTTP/2 (h2c) proxy on 127.0.0.1 that forwards every gRPC request to a
 * Temporal server and records the `authorization` header each one carried: how a test
 * sees that TEMPORAL_API_KEY reaches the server as `Bearer <key>`.
 */
import { connect, constants, createServer, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';

export interface RecordingProxy {
  address: string;
  /** The authorization header of each request, in arrival order (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

const PSEUDO = /^:/;

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const copy: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!PSEUDO.test(name) && value !== undefined) copy[name] = value;
  return copy;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream: ClientHttp2Session = connect(`http://${target}`);
  upstream.on('error', () => undefined);
  const authorizations: (string | undefined)[] = [];
  const server = createServer();
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const auth = headers.authorization;
    authorizations.push(Array.isArray(auth) ? auth[0] : auth);
    const request = upstream.request({ ...forwardable(headers), [constants.HTTP2_HEADER_METHOD]: headers[':method'], [constants.HTTP2_HEADER_PATH]: headers[':path'] });
    let trailers: OutgoingHttpHeaders = {};
    request.on('response', (responseHeaders) => {
      // A trailers-only answer (an error status) ends with its headers.
      const endsHere = responseHeaders['grpc-status'] !== undefined;
      const status = Number(responseHeaders[':status'] ?? 200);
      if (stream.destroyed) return;
      stream.respond({ ...forwardable(responseHeaders), ':status': status }, endsHere ? { endStream: true } : { waitForTrailers: true });
      if (!endsHere) request.pipe(stream);
    });
    request.on('trailers', (received) => (trailers = forwardable(received)));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    stream.pipe(request);
    const abort = (): void => {
      if (!request.destroyed) request.close(constants.NGHTTP2_CANCEL);
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    };
    request.on('error', abort);
    stream.on('error', abort);
    stream.on('close', () => !request.destroyed && request.close(constants.NGHTTP2_CANCEL));
  });
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        upstream.destroy();
        server.close(() => resolve());
      }),
  };
}
