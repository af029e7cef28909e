import type { Queryable } from '../query';

/** One organization's executions in the mirror per status. */
export async function countOrganizationExecutionsByStatus(db: Queryable, organizationId: string): Promise<{ status: string; count: number }[]> {
  const found = await db.query<{ status: string; n: string }>({
    name: 'metrics/count-organization-executions-by-status',
    text: 'SELECT status, count(*) AS n FROM executions WHERE organization_id = $1 GROUP BY status',
    values: [organizationId],
  });
  return found.rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
