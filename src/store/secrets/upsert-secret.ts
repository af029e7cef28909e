import type { Queryable } from '../query';

/**
 * Stores a sealed value under (organization, name), replacing one already there. Says which it
 * did: the API answers 201 for a new secret and 200 for a replaced one.
 */
export async function upsertSecret(db: Queryable, organizationId: string, name: string, sealedValue: string): Promise<'created' | 'replaced'> {
  const stored = await db.query<{ created: boolean }>({
    name: 'secrets/upsert-secret',
    // xmax is 0 only on a row this statement inserted (not on one it updated).
    text: `INSERT INTO secrets (organization_id, name, sealed_value) VALUES ($1, $2, $3)
           ON CONFLICT (organization_id, name) DO UPDATE SET sealed_value = EXCLUDED.sealed_value, updated_at = now()
           RETURNING (xmax = 0) AS created`,
    values: [organizationId, name, sealedValue],
  });
  return stored.rows[0]?.created ? 'created' : 'replaced';
}
