import type { Queryable } from '../query';

/** False when the organization has no such form. Its submissions stay (they name executions that ran). */
export async function deleteFormRow(db: Queryable, organizationId: string, formId: string): Promise<boolean> {
  const deleted = await db.query({ text: 'DELETE FROM forms WHERE organization_id = $1 AND id = $2', values: [organizationId, formId] });
  return (deleted.rowCount ?? 0) > 0;
}
