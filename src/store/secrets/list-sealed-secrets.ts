import type { Queryable } from '../query';

export interface SealedSecretRow {
  organizationId: string;
  name: string;
  sealedValue: string;
}

/** Every stored secret of every organization, sealed: what `wf secret reencrypt` walks through. */
export async function listSealedSecrets(db: Queryable): Promise<SealedSecretRow[]> {
  const found = await db.query<{ organization_id: string; name: string; sealed_value: string }>({
    text: 'SELECT organization_id, name, sealed_value FROM secrets ORDER BY organization_id, name',
  });
  return found.rows.map((row) => ({ organizationId: row.organization_id, name: row.name, sealedValue: row.sealed_value }));
}
