import type { Queryable } from '../query';

export async function organizationExists(db: Queryable, organizationId: string): Promise<boolean> {
  const found = await db.query({ name: 'organizations/organization-exists', text: 'SELECT 1 FROM organizations WHERE id = $1', values: [organizationId] });
  return (found.rowCount ?? 0) > 0;
}
