import type { Queryable } from '../query';

/** A secret as listed: its name and times, never its value. */
export interface SecretView {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export async function listSecrets(db: Queryable, organizationId: string): Promise<SecretView[]> {
  const found = await db.query<{ name: string; created_at: string; updated_at: string }>({
    text: 'SELECT name, created_at, updated_at FROM secrets WHERE organization_id = $1 ORDER BY name',
    values: [organizationId],
  });
  return found.rows.map((row) => ({ name: row.name, createdAt: row.created_at, updatedAt: row.updated_at }));
}
