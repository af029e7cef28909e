/**
 * API keys and roles, shared by the API (which checks keys) and the CLI (which makes them).
 * A key is `wfk_<keyId>_<secret>`: the id finds the row, the secret (32 random bytes) is
 * stored only as its SHA-256 and compared in constant time. A key is shown once, at creation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Least to most: viewer reads; operator also mutates; admin also manages keys and reaches /admin. */
const RANKED_ROLES = ['viewer', 'operator', 'admin'] as const;
/**
 * The ranked roles, and `submitter`: outside the ranks, it can only submit forms (DESIGN §10),
 * which operator and admin can do too. It reads nothing, so a key embedded in a public form
 * page exposes nothing else.
 */
export const ROLES = [...RANKED_ROLES, 'submitter'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, needed: Role): boolean {
  if (role === 'submitter') return needed === 'submitter';
  if (needed === 'submitter') return roleAllows(role, 'operator');
  return RANKED_ROLES.indexOf(role) >= RANKED_ROLES.indexOf(needed);
}

const KEY_FORMAT = /^wfk_(key_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A fresh key: its id, the whole key (to show once) and the hash to store. */
export function generateApiKey(): { keyId: string; apiKey: string; secretHash: string } {
  const keyId = `key_${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, apiKey: `wfk_${keyId}_${secret}`, secretHash: sha256(secret) };
}

/** The id and secret of a presented key; undefined when it is not of our format. */
export function parseApiKey(presented: string): { keyId: string; secret: string } | undefined {
  const match = KEY_FORMAT.exec(presented);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

/** Whether `secret` is the one whose hash was stored, compared in constant time. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const expected = Buffer.from(secretHash, 'hex');
  const actual = Buffer.from(sha256(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
