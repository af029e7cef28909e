import type { Queryable } from '../query';

/** The latest stored version of each of `graphIds` in the organization; ids without one are left out. */
export async function latestVersions(db: Queryable, organizationId: string, graphIds: readonly string[]): Promise<Record<string, number>> {
  const found = await db.query<{ id: string; version: number }>({
    name: 'graphs/latest-versions',
    text: 'SELECT id, max(version) AS version FROM graphs WHERE organization_id = $1 AND id = ANY($2::text[]) GROUP BY id',
    values: [organizationId, [...graphIds]],
  });
  return Object.fromEntries(found.rows.map((row) => [row.id, row.version]));
}
