import type { Queryable } from '../query';

/** False when the organization has no secret of that name. */
export async function deleteSecret(db: Queryable, organizationId: string, name: string): Promise<boolean> {
  const deleted = await db.query({ text: 'DELETE FROM secrets WHERE organization_id = $1 AND name = $2', values: [organizationId, name] });
  return (deleted.rowCount ?? 0) > 0;
}
