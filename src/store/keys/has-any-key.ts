import type { Queryable } from '../query';

/** Whether an organization has any key yet, revoked ones included (npm start makes the default one its first). */
export async function hasAnyKey(db: Queryable, organizationId: string): Promise<boolean> {
  const found = await db.query({ text: 'SELECT 1 FROM api_keys WHERE organization_id = $1 LIMIT 1', values: [organizationId] });
  return (found.rowCount ?? 0) > 0;
}
