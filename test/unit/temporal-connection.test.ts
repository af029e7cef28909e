/** Loading the Temporal connection from the environment and a TOML profile (DESIGN §15). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { clientConnectionOptions, nativeConnectionOptions } from '../../src/common/temporal-connection';
import { ConfigError, loadConfig, loadLocalStackConfig } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'wf-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// HOME without a ~/.config/temporalio/temporal.toml: no user profile leaks into a test.
const base = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'no-config') };
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const caPath = file('ca.pem', 'CA PEM');
const certPath = file('client.pem', 'CERT PEM');
const keyPath = file('client.key', 'KEY PEM');
const bytes = (value: unknown): string => Buffer.from(value as Uint8Array).toString();
const configError = (env: Record<string, string>): string => {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('environment', () => {
  test('defaults: the local dev server, namespace "default", plaintext', () => {
    const config = loadConfig({ ...base, TEMPORAL_ADDRESS: ' ', TEMPORAL_NAMESPACE: '' });
    expect(config).toMatchObject({ temporalAddress: '127.0.0.1:7233', temporalNamespace: 'default' });
    expect(config.temporalSecurity).toBeUndefined();
    expect(clientConnectionOptions(config)).toEqual({ address: '127.0.0.1:7233' });
    expect(loadLocalStackConfig('/tmp/x', base).externalTemporal).toBe(false);
  });

  test('TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE', () => {
    const config = loadConfig({ ...base, TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'prod' });
    expect(config).toMatchObject({ temporalAddress: 'temporal.example:7233', temporalNamespace: 'prod' });
    expect(loadLocalStackConfig('/tmp/x', { ...base, TEMPORAL_ADDRESS: 'temporal.example:7233' }).externalTemporal).toBe(true);
  });

  test('TEMPORAL_API_KEY turns TLS on and is sent as the API key; TEMPORAL_TLS=false keeps it plaintext', () => {
    const cloud = loadConfig({ ...base, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k-123' });
    expect(cloud.temporalSecurity).toEqual({ apiKey: 'k-123', tls: true });
    expect(clientConnectionOptions(cloud)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'k-123', tls: true });
    expect(nativeConnectionOptions(cloud)).toEqual(clientConnectionOptions(cloud));
    const plain = loadConfig({ ...base, TEMPORAL_API_KEY: 'k-123', TEMPORAL_TLS: 'false' });
    expect(clientConnectionOptions(plain)).toEqual({ address: '127.0.0.1:7233', apiKey: 'k-123', tls: false });
  });

  test('TEMPORAL_TLS=true: TLS with the system CAs', () => {
    expect(loadConfig({ ...base, TEMPORAL_TLS: 'TRUE' }).temporalSecurity?.tls).toEqual({});
    expect(loadConfig({ ...base, TEMPORAL_TLS: '1' }).temporalSecurity?.tls).toEqual({});
  });

  test('server CA and server name from paths, client pair from data', () => {
    const config = loadConfig({
      ...base,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_TLS_CLIENT_CERT_DATA: 'CERT DATA',
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'KEY DATA',
    });
    const tls = config.temporalSecurity?.tls as { serverRootCACertificate: Uint8Array; serverNameOverride: string; clientCertPair: { crt: Uint8Array; key: Uint8Array } };
    expect(bytes(tls.serverRootCACertificate)).toBe('CA PEM');
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(bytes(tls.clientCertPair.crt)).toBe('CERT DATA');
    expect(bytes(tls.clientCertPair.key)).toBe('KEY DATA');
  });

  test('client pair from paths', () => {
    const tls = loadConfig({ ...base, TEMPORAL_TLS_CLIENT_CERT_PATH: certPath, TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath }).temporalSecurity?.tls as { clientCertPair: { crt: Uint8Array; key: Uint8Array } };
    expect(bytes(tls.clientCertPair.crt)).toBe('CERT PEM');
    expect(bytes(tls.clientCertPair.key)).toBe('KEY PEM');
  });

  test('TEMPORAL_GRPC_META_* become gRPC headers', () => {
    expect(loadConfig({ ...base, TEMPORAL_GRPC_META_X_TENANT: 'acme' }).temporalSecurity?.metadata).toEqual({ 'x-tenant': 'acme' });
  });
});

describe('settings that cannot work are ConfigErrors naming the setting', () => {
  test('a client certificate without its key', () => {
    expect(configError({ TEMPORAL_TLS_CLIENT_CERT_PATH: certPath })).toMatch(/TEMPORAL_TLS_CLIENT_KEY_PATH\|DATA/);
    expect(configError({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'KEY' })).toMatch(/TEMPORAL_TLS_CLIENT_CERT_PATH\|DATA/);
  });

  test('an unreadable TLS file', () => {
    expect(configError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'missing.pem') })).toBe(`TEMPORAL_TLS_SERVER_CA_CERT_PATH (or tls.server_ca_cert_path in the profile): cannot read ${join(dir, 'missing.pem')} (ENOENT)`);
  });

  test('both the path and the data of one file', () => {
    expect(configError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath, TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'PEM' })).toMatch(/server_ca_cert_path and server_ca_cert_data/);
  });

  test('TEMPORAL_TLS that is not a boolean', () => {
    expect(configError({ TEMPORAL_TLS: 'yes' })).toBe('TEMPORAL_TLS must be true, false, 1 or 0, got "yes"');
  });

  test('a TEMPORAL_CONFIG_FILE that does not exist', () => {
    expect(configError({ TEMPORAL_CONFIG_FILE: join(dir, 'nope.toml') })).toBe(`TEMPORAL_CONFIG_FILE: there is no file at ${join(dir, 'nope.toml')}`);
  });
});

describe('TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE)', () => {
  const toml = file(
    'temporal.toml',
    [
      '[profile.default]',
      'address = "default-host:7233"',
      '',
      '[profile.prod]',
      'address = "prod.acct.tmprl.cloud:7233"',
      'namespace = "prod.acct"',
      'api_key = "profile-key"',
      '',
      '[profile.mtls]',
      'address = "temporal.internal:7233"',
      'namespace = "internal"',
      '[profile.mtls.tls]',
      `server_ca_cert_path = "${caPath}"`,
      `client_cert_path = "${certPath}"`,
      `client_key_path = "${keyPath}"`,
      'server_name = "temporal.internal"',
    ].join('\n'),
  );

  test('the "default" profile when TEMPORAL_PROFILE is unset', () => {
    const config = loadConfig({ ...base, TEMPORAL_CONFIG_FILE: toml });
    expect(config).toMatchObject({ temporalAddress: 'default-host:7233', temporalNamespace: 'default' });
    expect(loadLocalStackConfig('/tmp/x', { ...base, TEMPORAL_CONFIG_FILE: toml }).externalTemporal).toBe(true);
  });

  test('TEMPORAL_PROFILE selects address, namespace and API key', () => {
    const config = loadConfig({ ...base, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' });
    expect(config).toMatchObject({ temporalAddress: 'prod.acct.tmprl.cloud:7233', temporalNamespace: 'prod.acct', temporalSecurity: { apiKey: 'profile-key', tls: true } });
  });

  test('a profile with mutual TLS', () => {
    const config = loadConfig({ ...base, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'mtls' });
    const tls = config.temporalSecurity?.tls as { serverNameOverride: string; clientCertPair: { crt: Uint8Array } };
    expect(config).toMatchObject({ temporalAddress: 'temporal.internal:7233', temporalNamespace: 'internal' });
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(bytes(tls.clientCertPair.crt)).toBe('CERT PEM');
  });

  test('the variables override the profile', () => {
    const config = loadConfig({ ...base, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other', TEMPORAL_API_KEY: 'env-key' });
    expect(config).toMatchObject({ temporalAddress: 'prod.acct.tmprl.cloud:7233', temporalNamespace: 'other', temporalSecurity: { apiKey: 'env-key' } });
  });

  test('the user file ($XDG_CONFIG_HOME/temporalio/temporal.toml) when TEMPORAL_CONFIG_FILE is unset, as the temporal CLI', () => {
    const home = mkdtempSync(join(dir, 'xdg-'));
    const path = join(home, 'temporalio');
    mkdirSync(path);
    writeFileSync(join(path, 'temporal.toml'), '[profile.default]\nnamespace = "from-user-file"\n');
    expect(loadConfig({ HOME: dir, XDG_CONFIG_HOME: home }).temporalNamespace).toBe('from-user-file');
  });

  test('an unknown profile', () => {
    expect(configError({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'staging' })).toBe(`TEMPORAL_PROFILE: there is no profile "staging" in ${toml}`);
  });

  test('invalid TOML: the position, never the line (it may hold a key)', () => {
    const broken = file('broken.toml', '[profile.default]\napi_key = "sk-very-secret\n');
    const message = configError({ TEMPORAL_CONFIG_FILE: broken });
    expect(message).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid TOML \\(line \\d+, column \\d+\\)$`));
    expect(message).not.toContain('sk-very-secret');
  });
});
