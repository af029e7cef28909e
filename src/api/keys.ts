/**
 * Organizations and API keys. A key is `wfk_<keyId>_<secret>`: the id finds the row, the
 * secret (32 random bytes) is stored only as its SHA-256 and compared in constant time.
 * A key is shown once, at creation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/query';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** viewer reads; operator also mutates; admin also manages keys and reaches /admin. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface CreatedKey {
  organizationId: string;
  keyId: string;
  apiKey: string;
  role: Role;
}

export interface KeyIdentity {
  organizationId: string;
  keyId: string;
  role: Role;
}

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export async function createApiKey(db: Queryable, organizationId: string, role: Role, name?: string): Promise<CreatedKey> {
  const keyId = `key_${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO api_keys (id, organization_id, name, role, secret_hash) VALUES ($1, $2, $3, $4, $5)', [keyId, organizationId, name ?? null, role, hash(secret)]);
  return { organizationId, keyId, apiKey: `wfk_${keyId}_${secret}`, role };
}

/** The identity of a presented key, or undefined when it is malformed, unknown or revoked. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<KeyIdentity | undefined> {
  const match = /^wfk_(key_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  if (!match) return undefined;
  const found = await db.query<{ organization_id: string; role: Role; secret_hash: string }>(
    'SELECT organization_id, role, secret_hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL',
    [match[1]],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const actual = Buffer.from(hash(match[2]), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  return { organizationId: row.organization_id, keyId: match[1], role: row.role };
}

export async function revokeApiKey(db: Queryable, organizationId: string | undefined, keyId: string): Promise<boolean> {
  const revoked = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND ($2::text IS NULL OR organization_id = $2) AND revoked_at IS NULL',
    [keyId, organizationId ?? null],
  );
  return (revoked.rowCount ?? 0) > 0;
}

export interface KeyView {
  keyId: string;
  name: string | null;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(db: Queryable, organizationId: string): Promise<KeyView[]> {
  const found = await db.query<{ id: string; name: string | null; role: Role; created_at: string; revoked_at: string | null }>(
    'SELECT id, name, role, created_at, revoked_at FROM api_keys WHERE organization_id = $1 ORDER BY created_at',
    [organizationId],
  );
  return found.rows.map((row) => ({ keyId: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at }));
}

/** A new organization (id derived from its name) with its first admin key. */
export async function createOrganization(db: Queryable, name: string): Promise<CreatedKey & { name: string }> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
  const organizationId = `${base}-${randomBytes(3).toString('hex')}`;
  await db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [organizationId, name]);
  return { ...(await createApiKey(db, organizationId, 'admin', 'initial admin key')), name };
}

/** Whether an organization has any key yet (npm start makes the default one its first). */
export async function hasAnyKey(db: Queryable, organizationId: string): Promise<boolean> {
  const found = await db.query('SELECT 1 FROM api_keys WHERE organization_id = $1 LIMIT 1', [organizationId]);
  return (found.rowCount ?? 0) > 0;
}
