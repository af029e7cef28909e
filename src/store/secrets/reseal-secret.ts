import type { Queryable } from '../query';

/**
 * Replaces a sealed value with the same value sealed again (another key), only if the row still
 * holds `previous`: a secret set meanwhile keeps its new value. `updated_at` stays, as the
 * value did not change. False when the row changed or is gone.
 */
export async function resealSecret(db: Queryable, organizationId: string, name: string, previous: string, resealed: string): Promise<boolean> {
  const updated = await db.query({
    text: 'UPDATE secrets SET sealed_value = $4 WHERE organization_id = $1 AND name = $2 AND sealed_value = $3',
    values: [organizationId, name, previous, resealed],
  });
  return (updated.rowCount ?? 0) > 0;
}
