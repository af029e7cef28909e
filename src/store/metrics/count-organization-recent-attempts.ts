import type { Queryable } from '../query';

/** One organization's activity attempts recorded in the last hour, per status. */
export async function countOrganizationRecentAttempts(db: Queryable, organizationId: string): Promise<{ status: string; count: number }[]> {
  const found = await db.query<{ status: string; n: string }>({
    name: 'metrics/count-organization-recent-attempts',
    text: "SELECT status, count(*) AS n FROM execution_step_attempts WHERE organization_id = $1 AND coalesce(finished_at, started_at) > now() - interval '1 hour' GROUP BY status",
    values: [organizationId],
  });
  return found.rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
