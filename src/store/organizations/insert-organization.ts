import type { Queryable } from '../query';

export async function insertOrganization(db: Queryable, organizationId: string, name: string): Promise<void> {
  await db.query({ text: 'INSERT INTO organizations (id, name) VALUES ($1, $2)', values: [organizationId, name] });
}
