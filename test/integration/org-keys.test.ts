/**
 * `wf org create` and `wf key create | revoke | list` as a user runs them (bin/wf.js in a child
 * process, straight against PostgreSQL), and the first admin key `npm start` prints once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyApiKey } from '../../src/client/keys';
import { ensureFirstAdminKey } from '../../src/stack/first-admin-key';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { freePort } from '../helpers/free-port';
import { runWf, type WfResult } from '../helpers/wf-cli';

/** The secret part of `wfk_key_<12 hex>_<secret>` (it may itself contain `_`). */
const secretOf = (apiKey: string): string => apiKey.slice('wfk_key_000000000000_'.length);

const KEY = /^wfk_key_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
});
afterAll(async () => engine?.stop());

type Result = WfResult;

function wf(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return runWf(args, { DATABASE_URL: engine.databaseUrl, TEMPORAL_ADDRESS: '127.0.0.1:1', ...env });
}

async function json(args: string[]): Promise<Record<string, unknown>> {
  const result = await wf(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
};

async function newOrg(name: string): Promise<string> {
  return (await json(['org', 'create', name, '--json'])).organizationId as string;
}

describe('wf org create', () => {
  test('--json prints exactly the documented object; the key verifies as the admin of the new organization', async () => {
    const body = await json(['org', 'create', 'Acme Corp', '--json']);
    expect(Object.keys(body)).toEqual(['organizationId', 'name', 'keyId', 'apiKey', 'role']);
    expect(body).toMatchObject({ name: 'Acme Corp', role: 'admin', organizationId: expect.stringMatching(/^acme-corp-[0-9a-f]{6}$/) });
    expect(body.apiKey).toMatch(KEY);
    expect(body.apiKey as string).toContain(body.keyId as string);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toEqual({ organizationId: body.organizationId, keyId: body.keyId, role: 'admin' });
    const stored = await engine.pool.query('SELECT name FROM organizations WHERE id = $1', [body.organizationId]);
    expect(stored.rows).toEqual([{ name: 'Acme Corp' }]);
  });

  test('without --json it prints the organization and its key once', async () => {
    const result = await wf(['org', 'create', 'Plain Text']);
    expect(result.code).toBe(0);
    const keys: string[] = result.stdout.match(/wfk_\S+/g) ?? [];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(KEY);
    expect(result.stdout).toMatch(/created organization plain-text-[0-9a-f]{6}/);
    expect((await verifyApiKey(engine.pool, keys[0]))?.role).toBe('admin');
  });

  test('an empty name or a missing NAME exits 2', async () => {
    const empty = await wf(['org', 'create', '  ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('non-empty NAME');
    expect((await wf(['org', 'create'])).code).toBe(2);
  });

  test('an unreachable PostgreSQL exits 3 without a stack trace', async () => {
    const port = await freePort();
    const result = await wf(['org', 'create', 'nowhere'], { DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/wf` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('PostgreSQL is unreachable');
    noStackTrace(result.stderr);
  });
});

describe('wf key', () => {
  test.each(['admin', 'operator', 'viewer'] as const)('create --role %s prints the documented object and a key with that role', async (role) => {
    const org = await newOrg(`keys ${role}`);
    const body = await json(['key', 'create', '--org', org, '--role', role, '--name', `ci ${role}`, '--json']);
    expect(Object.keys(body)).toEqual(['organizationId', 'name', 'keyId', 'apiKey', 'role']);
    expect(body).toMatchObject({ organizationId: org, name: `ci ${role}`, role });
    expect(body.apiKey).toMatch(KEY);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toEqual({ organizationId: org, keyId: body.keyId, role });
  });

  test('create without --name gives name null', async () => {
    const org = await newOrg('unnamed keys');
    const body = await json(['key', 'create', '--org', org, '--role', 'viewer', '--json']);
    expect(body.name).toBeNull();
    expect((await verifyApiKey(engine.pool, body.apiKey as string))?.role).toBe('viewer');
  });

  test('an unknown role, an unknown organization or a missing option exits 2 with a clear message and creates nothing', async () => {
    const org = await newOrg('bad requests');
    const badRole = await wf(['key', 'create', '--org', org, '--role', 'superuser', '--json']);
    expect(badRole.code).toBe(2);
    expect(badRole.stdout).toBe('');
    expect(badRole.stderr).toContain('--role must be one of viewer, operator, admin');
    noStackTrace(badRole.stderr);

    const badOrg = await wf(['key', 'create', '--org', 'no-such-org', '--role', 'viewer', '--json']);
    expect(badOrg.code).toBe(2);
    expect(badOrg.stdout).toBe('');
    expect(badOrg.stderr).toContain('organization "no-such-org" not found');
    noStackTrace(badOrg.stderr);

    expect((await wf(['key', 'create', '--org', org])).code).toBe(2);
    expect((await wf(['key', 'create', '--role', 'viewer'])).code).toBe(2);
    expect((await wf(['key', 'list', '--org', 'no-such-org'])).code).toBe(2);
    const count = await engine.pool.query('SELECT 1 FROM api_keys WHERE organization_id IN ($1, $2)', [org, 'no-such-org']);
    expect(count.rowCount).toBe(1); // only the organization's initial admin key
  });

  test('revoke makes the key stop verifying; revoking it again, or an unknown key, exits 2', async () => {
    const org = await newOrg('revocations');
    const body = await json(['key', 'create', '--org', org, '--role', 'operator', '--json']);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toBeDefined();

    const revoked = await wf(['key', 'revoke', body.keyId as string]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${body.keyId as string}`);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toBeUndefined();

    const again = await wf(['key', 'revoke', body.keyId as string]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`no active key "${body.keyId as string}"`);
    expect((await wf(['key', 'revoke', 'key_000000000000'])).code).toBe(2);
  });

  test('revoke --org only revokes a key of that organization', async () => {
    const org = await newOrg('scoped revoke');
    const other = await newOrg('other org');
    const body = await json(['key', 'create', '--org', org, '--role', 'viewer', '--json']);
    expect((await wf(['key', 'revoke', body.keyId as string, '--org', other])).code).toBe(2);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toBeDefined();
    expect((await wf(['key', 'revoke', body.keyId as string, '--org', org])).code).toBe(0);
    expect(await verifyApiKey(engine.pool, body.apiKey as string)).toBeUndefined();
  });

  test('list shows every key with its role and state, never a secret', async () => {
    const created = await json(['org', 'create', 'listing', '--json']);
    const org = created.organizationId as string;
    const viewer = await json(['key', 'create', '--org', org, '--role', 'viewer', '--name', 'dashboards', '--json']);
    expect((await wf(['key', 'revoke', viewer.keyId as string])).code).toBe(0);

    const listed = await wf(['key', 'list', '--org', org, '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('wfk_');
    expect(listed.stdout).not.toContain(secretOf(created.apiKey as string));
    expect(listed.stdout).not.toContain(secretOf(viewer.apiKey as string));
    expect(listed.stdout).not.toMatch(/secret|hash/i);
    const keys = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(keys).toEqual([
      { keyId: created.keyId, name: 'initial admin key', role: 'admin', createdAt: expect.any(String), revokedAt: null },
      { keyId: viewer.keyId, name: 'dashboards', role: 'viewer', createdAt: expect.any(String), revokedAt: expect.any(String) },
    ]);

    const text = await wf(['key', 'list', '--org', org]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(created.keyId as string);
    expect(text.stdout).toContain(viewer.keyId as string);
    expect(text.stdout).toContain('revoked');
    expect(text.stdout).not.toContain('wfk_');
  });
});

describe('the first admin key of npm start', () => {
  test('is created and printed once for organization default, and not on later starts', async () => {
    expect((await engine.pool.query("SELECT 1 FROM api_keys WHERE organization_id = 'default'")).rowCount).toBe(0);
    const said: string[] = [];
    const first = await ensureFirstAdminKey(engine.pool, (line) => said.push(line));
    expect(first).toBeDefined();
    expect(first!.apiKey).toMatch(KEY);
    expect(said.filter((line) => line.trim())).toEqual([`Admin API key for organization default (shown once, store it): ${first!.apiKey}`]);
    expect(await verifyApiKey(engine.pool, first!.apiKey)).toEqual({ organizationId: 'default', keyId: first!.keyId, role: 'admin' });

    const later: string[] = [];
    expect(await ensureFirstAdminKey(engine.pool, (line) => later.push(line))).toBeUndefined();
    expect(later).toEqual([]);
    expect((await engine.pool.query("SELECT 1 FROM api_keys WHERE organization_id = 'default'")).rowCount).toBe(1);
  });

  test('concurrent starts still create only one', async () => {
    const org = await newOrg('racing starts');
    await engine.pool.query('DELETE FROM api_keys WHERE organization_id = $1', [org]);
    const results = await Promise.all([1, 2, 3].map(() => ensureFirstAdminKey(engine.pool, () => undefined, org)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await engine.pool.query('SELECT 1 FROM api_keys WHERE organization_id = $1', [org])).rowCount).toBe(1);
  });
});
