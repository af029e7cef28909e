/**
 * Why a connection to Temporal failed, in one line that says what to check. The SDK's
 * client only says "Failed to connect before the deadline" and the worker's native client
 * prints Rust debug output, whatever the cause; when TLS is on, a TLS handshake of our own
 * (node:tls, same CA, server name and client pair, ALPN h2) tells a refused certificate
 * from an unreachable server.
 */
import { connect as connectTls, type ConnectionOptions as TlsOptions } from 'node:tls';
import { isIP } from 'node:net';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalTarget } from './temporal-connection';

export interface ConnectFailure {
  /** `tls`: the server answered but the TLS handshake failed; `unreachable`: anything else. */
  kind: 'tls' | 'unreachable';
  message: string;
}

const PROBE_TIMEOUT_MS = 3000;
// The HTTP/2 client preface and an empty SETTINGS frame: a gRPC server answers with its own SETTINGS.
const HTTP2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

const CA_ADVICE = 'check TEMPORAL_TLS_SERVER_CA_CERT_PATH|DATA (the CA that signed the server certificate)';
const CLIENT_ADVICE = 'check TEMPORAL_TLS_CLIENT_CERT_PATH|DATA and TEMPORAL_TLS_CLIENT_KEY_PATH|DATA (a client certificate the server accepts)';

/** What went wrong connecting to `target`: a TLS problem when the probe finds one, else `unreachable` (the caller's words). */
export async function describeConnectFailure(target: TemporalTarget, unreachable: string): Promise<ConnectFailure> {
  const tls = target.temporalSecurity?.tls;
  if (tls) {
    const problem = await probeTls(target.temporalAddress, tls === true ? {} : tls);
    if (problem) return { kind: 'tls', message: `TLS handshake with Temporal at ${target.temporalAddress} failed: ${problem}` };
  }
  return { kind: 'unreachable', message: unreachable };
}

/** The TLS problem at `address`, or undefined when the handshake works or the server cannot be reached at all. */
export function probeTls(address: string, tls: TLSConfig): Promise<string | undefined> {
  const [host, port] = splitAddress(address);
  const options: TlsOptions = {
    host,
    port,
    ALPNProtocols: ['h2'],
    ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
    ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
  };
  const serverName = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  if (serverName) options.servername = serverName;
  return new Promise((resolve) => {
    let handshakeDone = false;
    const socket = connectTls(options);
    const finish = (problem: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(undefined), PROBE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      handshakeDone = true;
      socket.write(HTTP2_PREFACE);
    });
    // Bytes back from the server: the handshake, client certificate included, was accepted.
    socket.once('data', () => finish(undefined));
    socket.once('error', (failure: NodeJS.ErrnoException) => finish(tlsProblem(failure, handshakeDone, serverName ?? host)));
    socket.once('close', () => finish(undefined));
  });
}

function tlsProblem(error: NodeJS.ErrnoException, handshakeDone: boolean, serverName: string): string | undefined {
  const code = error.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return undefined;
  if (['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE'].includes(code)) {
    return `the server's certificate is not signed by a trusted CA (${code}); ${CA_ADVICE}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's certificate is not valid for "${serverName}"; check TEMPORAL_TLS_SERVER_NAME (the name in the server certificate) and TEMPORAL_ADDRESS`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `the server's certificate is not valid now (${code}); renew it on the server`;
  if (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE|CERTIFICATE_UNKNOWN|ACCESS_DENIED/.test(code)) return `the server refused the client certificate or its absence (${code}); ${CLIENT_ADVICE}`;
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER_FAILURE/.test(code)) return `the server did not answer in TLS (${code}); check TEMPORAL_ADDRESS, or set TEMPORAL_TLS=false if it is a plaintext server`;
  if (code === 'ECONNRESET' && handshakeDone) return `the server closed the connection after the handshake (ECONNRESET), as it does for a missing client certificate; ${CLIENT_ADVICE}`;
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /CERT/.test(code)) return `${code}; check the TEMPORAL_TLS_* variables`;
  return undefined;
}

function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  if (index < 0) return [address, 7233];
  return [address.slice(0, index).replace(/^\[|\]$/g, ''), Number(address.slice(index + 1))];
}
