/**
 * Organizations and API keys as the API, the CLI and `npm start` make and check them: the
 * key format and hashing are src/common/keys.ts, the rows src/store/keys/.
 */
import { randomBytes } from 'node:crypto';
import { generateApiKey, parseApiKey, secretMatches, type Role } from '../common/keys';
import { insertApiKey } from '../store/keys/insert-key';
import { selectActiveKey } from '../store/keys/select-active-key';
import { insertOrganization } from '../store/organizations/insert-organization';
import type { Queryable } from '../store/query';

export interface CreatedKey {
  organizationId: string;
  keyId: string;
  /** The whole key, shown once. */
  apiKey: string;
  role: Role;
}

export interface KeyIdentity {
  organizationId: string;
  keyId: string;
  role: Role;
}

export async function createApiKey(db: Queryable, organizationId: string, role: Role, name?: string): Promise<CreatedKey> {
  const { keyId, apiKey, secretHash } = generateApiKey();
  await insertApiKey(db, { keyId, organizationId, name: name ?? null, role, secretHash });
  return { organizationId, keyId, apiKey, role };
}

/** The identity of a presented key, or undefined when it is malformed, unknown or revoked. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<KeyIdentity | undefined> {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const row = await selectActiveKey(db, parsed.keyId);
  if (!row || !secretMatches(parsed.secret, row.secretHash)) return undefined;
  return { organizationId: row.organizationId, keyId: parsed.keyId, role: row.role };
}

/** A new organization (id derived from its name) with its first admin key. */
export async function createOrganization(db: Queryable, name: string): Promise<CreatedKey & { name: string }> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
  const organizationId = `${base}-${randomBytes(3).toString('hex')}`;
  await insertOrganization(db, organizationId, name);
  return { ...(await createApiKey(db, organizationId, 'admin', 'initial admin key')), name };
}
