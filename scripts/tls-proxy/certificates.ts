/**
 * Certificates made with openssl, for the TLS tests and `npm run tls-proxy`: a CA, a server
 * certificate for 127.0.0.1 and localhost, a client certificate, and a second CA that signed
 * none of them (the "unknown CA" case). EC P-256 keys in PKCS#8, v3 extensions: what rustls (the worker's
 * native connection) accepts as well as Node's TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caCertPath: string;
  otherCaCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** PEM text of the files above, for node:tls. */
  read(path: string): Buffer;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string, days: number): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', String(days), '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function makeLeaf(dir: string, name: string, usage: 'serverAuth' | 'clientAuth', days: number): void {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    `extendedKeyUsage=${usage}`,
    usage === 'serverAuth' ? 'subjectAltName=DNS:localhost,IP:127.0.0.1' : `subjectAltName=DNS:${name}`,
  ].join('\n'));
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', String(days), '-extfile', extensions], dir);
}

/** New certificates in `dir` (made if missing; a fresh temporary one by default), valid for `days`. */
export function makeTestCertificates(options: { dir?: string; days?: number } = {}): TestCertificates {
  const days = options.days ?? 2;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'wf-tls-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  makeCa(dir, 'ca', days);
  makeCa(dir, 'other-ca', days);
  makeLeaf(dir, 'server', 'serverAuth', days);
  makeLeaf(dir, 'client', 'clientAuth', days);
  return {
    dir,
    caCertPath: join(dir, 'ca.crt'),
    otherCaCertPath: join(dir, 'other-ca.crt'),
    serverCertPath: join(dir, 'server.crt'),
    serverKeyPath: join(dir, 'server.key'),
    clientCertPath: join(dir, 'client.crt'),
    clientKeyPath: join(dir, 'client.key'),
    read: (path) => readFileSync(path),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
