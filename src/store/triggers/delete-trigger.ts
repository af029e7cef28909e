import type { Queryable } from '../query';

/** False when the organization has no such trigger. */
export async function deleteTrigger(db: Queryable, organizationId: string, id: string): Promise<boolean> {
  const deleted = await db.query({ text: 'DELETE FROM triggers WHERE id = $1 AND organization_id = $2', values: [id, organizationId] });
  return (deleted.rowCount ?? 0) > 0;
}
