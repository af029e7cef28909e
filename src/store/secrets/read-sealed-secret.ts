import type { Queryable } from '../query';

/** The sealed value of one secret, or undefined when the organization has none of that name. */
export async function readSealedSecret(db: Queryable, organizationId: string, name: string): Promise<string | undefined> {
  const found = await db.query<{ sealed_value: string }>({
    // Named: every node attempt that refers to a secret reads it.
    name: 'secrets/read-sealed-secret',
    text: 'SELECT sealed_value FROM secrets WHERE organization_id = $1 AND name = $2',
    values: [organizationId, name],
  });
  return found.rows[0]?.sealed_value;
}
