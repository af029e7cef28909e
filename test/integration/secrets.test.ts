/**
 * Stored secrets (DESIGN §10) on the real stack: `wf secret set | list | delete | reencrypt` as
 * a user runs them (bin/wf.js, straight against PostgreSQL), what lands in the table (sealed,
 * never the plaintext), and the worker's lookup as a node activity uses it (SecretScope),
 * without a key, with an unknown name and after a key rotation.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SecretScope } from '../../src/activities/secret-scope';
import { generateSecretsKey, parseSecretsKey, SecretCipher } from '../../src/secrets/cipher';
import { createSecretLookup } from '../../src/secrets/postgres-secret-lookup';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { runWf, WF_BIN, type WfResult } from '../helpers/wf-cli';

let engine: TestEngine;
let dir: string;
let key: string;

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  key = engine.secretsKey!;
  dir = mkdtempSync(join(tmpdir(), 'wf-secrets-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await engine?.stop();
});

const baseEnv = (): Record<string, string> => ({ DATABASE_URL: engine.databaseUrl, TEMPORAL_ADDRESS: '127.0.0.1:1', WF_SECRETS_KEY: key });

function wf(args: string[], env: Record<string, string | undefined> = {}): Promise<WfResult> {
  return runWf(args, { ...baseEnv(), ...env });
}

/** `wf` with `input` piped to its stdin. */
function wfWithStdin(args: string[], input: string): Promise<WfResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WF_BIN, ...args], { env: { PATH: process.env.PATH, ...baseEnv() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lookup = () => createSecretLookup(engine.pool, engine.secretCipher);
const sealedRow = async (org: string, name: string) =>
  (await engine.pool.query<{ sealed_value: string; created_at: string; updated_at: string }>('SELECT sealed_value, created_at, updated_at FROM secrets WHERE organization_id = $1 AND name = $2', [org, name])).rows[0];

function expectQuiet(result: WfResult, ...values: string[]): void {
  for (const value of values) {
    expect(result.stdout).not.toContain(value);
    expect(result.stderr).not.toContain(value);
  }
}

describe('wf secret set', () => {
  test('--value stores the value sealed: the row holds no plaintext, opens only for its row, and the value is never printed', async () => {
    const value = 'tok-value-4f9a1c';
    const result = await wf(['secret', 'set', 'api-token', '--value', value]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe('stored secret api-token in organization default');
    expectQuiet(result, value);
    const row = await sealedRow('default', 'api-token');
    expect(row.sealed_value).not.toContain(value);
    expect(row.sealed_value).not.toContain(Buffer.from(value).toString('base64'));
    expect(row.sealed_value.startsWith(`v1:${engine.secretCipher!.currentKeyId}:`)).toBe(true);
    expect(await lookup().value('default', 'api-token')).toBe(value);
    // Bound to its row: the same sealed text under another name does not open.
    await engine.pool.query("INSERT INTO secrets (organization_id, name, sealed_value) VALUES ('default', 'copied', $1)", [row.sealed_value]);
    await expect(lookup().value('default', 'copied')).rejects.toMatchObject({ type: 'SecretUnreadable', nonRetryable: true });
    await engine.pool.query("DELETE FROM secrets WHERE name = 'copied'");
  });

  test('setting it again replaces the value and moves updated_at only', async () => {
    const before = await sealedRow('default', 'api-token');
    const result = await wf(['secret', 'set', 'api-token', '--value', 'tok-value-second']);
    expect(result.stdout.trim()).toBe('replaced secret api-token in organization default');
    const after = await sealedRow('default', 'api-token');
    expect(after.created_at).toBe(before.created_at);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect(await lookup().value('default', 'api-token')).toBe('tok-value-second');
  });

  test('--from-file and stdin: one final newline is dropped, other whitespace kept', async () => {
    const file = join(dir, 'value.txt');
    writeFileSync(file, '  file value  \n');
    const fromFile = await wf(['secret', 'set', 'from-file', '--from-file', file]);
    expect(fromFile.code).toBe(0);
    expect(await lookup().value('default', 'from-file')).toBe('  file value  ');

    const piped = await wfWithStdin(['secret', 'set', 'from.stdin'], 'piped-value-77\n');
    expect(piped).toMatchObject({ code: 0, stderr: '' });
    expectQuiet(piped, 'piped-value-77');
    expect(await lookup().value('default', 'from.stdin')).toBe('piped-value-77');
  });

  test('--org stores in that organization only', async () => {
    await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme')");
    expect((await wf(['secret', 'set', 'api-token', '--value', 'acme-value', '--org', 'acme'])).code).toBe(0);
    expect(await lookup().value('acme', 'api-token')).toBe('acme-value');
    expect(await lookup().value('default', 'api-token')).toBe('tok-value-second');
  });

  test('usage problems exit 2 with a clear message: bad name, two sources, empty value, unknown organization', async () => {
    const badName = await wf(['secret', 'set', 'Bad Name', '--value', 'x']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('wf: invalid secret name "Bad Name": a secret name is 1-64 of a-z, 0-9');
    const both = await wf(['secret', 'set', 'n', '--value', 'x', '--from-file', join(dir, 'value.txt')]);
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('not several') });
    const empty = await wf(['secret', 'set', 'n', '--value', '']);
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('must not be empty') });
    const missingFile = await wf(['secret', 'set', 'n', '--from-file', join(dir, 'absent')]);
    expect(missingFile).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    const unknownOrg = await wf(['secret', 'set', 'n', '--value', 'x', '--org', 'nowhere']);
    expect(unknownOrg).toMatchObject({ code: 2, stderr: expect.stringContaining('organization "nowhere" not found') });
    expect((await wf(['secret', 'delete', '../etc'])).code).toBe(2);
  });

  test('without WF_SECRETS_KEY nothing is stored and the message names it; a bad key is named, not echoed', async () => {
    const none = await wf(['secret', 'set', 'keyless', '--value', 'x'], { WF_SECRETS_KEY: undefined });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('WF_SECRETS_KEY is not set');
    const bad = await wf(['secret', 'set', 'keyless', '--value', 'x'], { WF_SECRETS_KEY: 'hunter2-is-no-key' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('WF_SECRETS_KEY must be the base64 of 32 random bytes');
    expectQuiet(bad, 'hunter2-is-no-key');
    expect(await sealedRow('default', 'keyless')).toBeUndefined();
  });
});

describe('wf secret list and delete', () => {
  test('list --json gives names and times only, in name order; the text form too', async () => {
    const result = await wf(['secret', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(listed.map((secret) => secret.name)).toEqual(['api-token', 'from-file', 'from.stdin']);
    for (const secret of listed) expect(Object.keys(secret)).toEqual(['name', 'createdAt', 'updatedAt']);
    expectQuiet(result, 'tok-value-second', 'file value', 'piped-value-77', 'v1:');
    const text = await wf(['secret', 'list', '--org', 'acme']);
    expect(text.stdout).toMatch(/^api-token {2}updated \S+ {2}created \S+\n$/);
    expectQuiet(text, 'acme-value');
  });

  test('delete removes it; deleting it again, or from another organization, exits 2', async () => {
    expect((await wf(['secret', 'delete', 'from-file'])).stdout.trim()).toBe('deleted secret from-file from organization default');
    expect(await lookup().value('default', 'from-file')).toBeUndefined();
    expect(await wf(['secret', 'delete', 'from-file'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no secret "from-file" in organization "default"') });
    expect((await wf(['secret', 'delete', 'from.stdin', '--org', 'acme'])).code).toBe(2);
    expect(await lookup().value('default', 'from.stdin')).toBe('piped-value-77');
  });
});

describe('the lookup a node activity resolves secrets with', () => {
  test('SecretScope resolves references of its organization and redacts their values', async () => {
    const scope = new SecretScope('default', lookup());
    const resolved = await scope.resolve({ headers: { authorization: { $secret: 'api-token' } }, list: [{ $secret: 'from.stdin' }], n: 1 });
    expect(resolved).toEqual({ headers: { authorization: 'tok-value-second' }, list: ['piped-value-77'], n: 1 });
    expect(scope.redactText('the server said tok-value-second')).toBe('the server said ***');
  });

  test('an unknown name, or another organization\'s secret, fails with SecretNotFound, not retried', async () => {
    for (const [org, name] of [['default', 'never-stored'], ['acme', 'from.stdin']]) {
      const failure = await new SecretScope(org, lookup()).secret(name).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'SecretNotFound', nonRetryable: true });
    }
  });

  test('a worker without WF_SECRETS_KEY fails the node, not retried, saying so', async () => {
    const failure = await new SecretScope('default', createSecretLookup(engine.pool, undefined)).secret('api-token').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SecretsKeyMissing', nonRetryable: true, message: expect.stringContaining('this worker has no WF_SECRETS_KEY') });
  });
});

describe('wf validate', () => {
  test('a reference in a mock config is refused with its path; no value is shown', async () => {
    const file = join(dir, 'graph.json');
    writeFileSync(file, JSON.stringify({ id: 'g', version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { token: { $secret: 'api-token' } } } }] }));
    const result = await wf(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('$.nodes[0].config.output.token: node type "mock" does not resolve secrets');
    expectQuiet(result, 'tok-value-second');
  });
});

describe('wf secret reencrypt (key rotation)', () => {
  const newKey = generateSecretsKey();
  const newCipher = new SecretCipher(parseSecretsKey(newKey, 'new'));

  test('with only the new key, values sealed with the old one are named and left alone (exit 1)', async () => {
    const result = await wf(['secret', 'reencrypt'], { WF_SECRETS_KEY: newKey });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('resealed 0 secrets');
    expect(result.stderr).toContain('wf: secret api-token of organization acme was not resealed: sealed with key');
    expect(await lookup().value('default', 'api-token')).toBe('tok-value-second');
  });

  test('new key in WF_SECRETS_KEY, old in WF_SECRETS_KEY_PREVIOUS: every value is resealed, then only the new key is needed', async () => {
    const { rows } = await engine.pool.query<{ name: string; updated_at: string }>('SELECT name, updated_at FROM secrets ORDER BY organization_id, name');
    const result = await wf(['secret', 'reencrypt'], { WF_SECRETS_KEY: newKey, WF_SECRETS_KEY_PREVIOUS: key });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(`resealed ${rows.length} secrets with key ${newCipher.currentKeyId} (0 already sealed with it)`);
    const after = await engine.pool.query<{ sealed_value: string; updated_at: string }>('SELECT sealed_value, updated_at FROM secrets ORDER BY organization_id, name');
    expect(after.rows.map((row) => row.updated_at)).toEqual(rows.map((row) => row.updated_at));
    for (const row of after.rows) expect(row.sealed_value.startsWith(`v1:${newCipher.currentKeyId}:`)).toBe(true);
    const newOnly = createSecretLookup(engine.pool, newCipher);
    expect(await newOnly.value('default', 'api-token')).toBe('tok-value-second');
    expect(await newOnly.value('acme', 'api-token')).toBe('acme-value');
    // The old key alone no longer opens them: it can be dropped.
    await expect(lookup().value('default', 'api-token')).rejects.toMatchObject({ type: 'SecretUnreadable', nonRetryable: true });
    const again = await wf(['secret', 'reencrypt'], { WF_SECRETS_KEY: newKey });
    expect(again.stdout.trim()).toBe(`resealed 0 secrets with key ${newCipher.currentKeyId} (${rows.length} already sealed with it)`);
  });
});
