import type { Queryable } from '../query';

/** False when the organization has no such schedule. */
export async function deleteScheduleRow(db: Queryable, organizationId: string, id: string): Promise<boolean> {
  const deleted = await db.query({ text: 'DELETE FROM schedules WHERE organization_id = $1 AND id = $2', values: [organizationId, id] });
  return (deleted.rowCount ?? 0) > 0;
}
