/**
 * `npm run tls-proxy [-- --mtls] [--port 7234] [--target 127.0.0.1:7233]`: try the engine's
 * TLS settings against the local stack. Makes a CA, a server certificate (localhost,
 * 127.0.0.1) and a client certificate in .data/tls/ (new ones on every start), then
 * terminates TLS (ALPN h2, as gRPC needs) on 127.0.0.1 in front of `npm start`'s plaintext
 * dev server; with --mtls it also refuses clients without a certificate of that CA. It
 * prints the TEMPORAL_TLS_* settings to give `wf`, a worker or the API. Ctrl-C stops it.
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from '../../src/stack/data-dir';
import { makeTestCertificates } from './certificates';
import { startTlsProxy } from './proxy';

const DAYS_VALID = 30;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mtls: { type: 'boolean', default: false }, port: { type: 'string', default: '7234' }, target: { type: 'string', default: '127.0.0.1:7233' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a TCP port (1-65535), got "${values.port}"`);
  const dataDir = process.env.WF_DATA_DIR ?? DEFAULT_DATA_DIR;
  const certs = makeTestCertificates({ dir: join(dataDir, 'tls'), days: DAYS_VALID });
  const proxy = await startTlsProxy({
    target: values.target!,
    port,
    cert: certs.read(certs.serverCertPath),
    key: certs.read(certs.serverKeyPath),
    clientCa: values.mtls ? certs.read(certs.caCertPath) : undefined,
  });
  const shown = (path: string): string => relative(process.cwd(), path) || path;
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`TLS proxy: ${proxy.address} -> ${values.target} (${values.mtls ? 'mutual TLS: a client certificate signed by the CA is required' : 'server TLS'}); certificates in ${shown(certs.dir)}, valid ${DAYS_VALID} days`);
  say('');
  say('In another terminal, from this directory:');
  say(`  export TEMPORAL_ADDRESS=${proxy.address} TEMPORAL_TLS_SERVER_CA_CERT_PATH=${shown(certs.caCertPath)} TEMPORAL_TLS_SERVER_NAME=localhost`);
  if (values.mtls) say(`  export TEMPORAL_TLS_CLIENT_CERT_PATH=${shown(certs.clientCertPath)} TEMPORAL_TLS_CLIENT_KEY_PATH=${shown(certs.clientKeyPath)}`);
  say(`  export WF_PAYLOAD_KEY="$(cat ${shown(join(dataDir, 'payload.key'))})"   # with TEMPORAL_ADDRESS set, wf reads no local key by itself`);
  say('  npx wf run examples/hello.json');
  say('Ctrl-C stops the proxy.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`npm run tls-proxy: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(1);
  },
);
