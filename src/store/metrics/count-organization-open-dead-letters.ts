import type { Queryable } from '../query';

/** One organization's dead letters not yet retried or purged. */
export async function countOrganizationOpenDeadLetters(db: Queryable, organizationId: string): Promise<number> {
  const found = await db.query<{ n: string }>({
    name: 'metrics/count-organization-open-dead-letters',
    text: "SELECT count(*) AS n FROM dead_letters WHERE organization_id = $1 AND status IN ('open', 'retrying')",
    values: [organizationId],
  });
  return Number(found.rows[0].n);
}
