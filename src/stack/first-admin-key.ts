/**
 * `npm start` gives the `default` organization its first admin key (DESIGN §8): created and
 * printed once, when the organization has no key at all yet; later starts print nothing.
 */
import type { Pool } from 'pg';
import { createApiKey, type CreatedKey } from '../client/keys';
import { lockForTransaction } from '../store/advisory-lock';
import { hasAnyKey } from '../store/keys/has-any-key';
import { inTransaction } from '../store/query';
import { DEFAULT_ORGANIZATION } from '../workflows/contracts/names';

/** The key it created (and printed with say), or undefined when the organization already had one. */
export async function ensureFirstAdminKey(pool: Pool, say: (line: string) => void, organizationId: string = DEFAULT_ORGANIZATION): Promise<CreatedKey | undefined> {
  const created = await inTransaction(pool, async (db) => {
    // Two starts against one database must not both create a "first" key.
    await lockForTransaction(db, `wf:first-admin-key:${organizationId}`);
    if (await hasAnyKey(db, organizationId)) return undefined;
    return createApiKey(db, organizationId, 'admin', 'first admin key (npm start)');
  });
  if (created) {
    say('');
    say(`Admin API key for organization ${organizationId} (shown once, store it): ${created.apiKey}`);
    say('');
  }
  return created;
}
