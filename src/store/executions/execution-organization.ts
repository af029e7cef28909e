import type { Queryable } from '../query';

/** The organization an execution row belongs to; undefined when the mirror has no such row (yet). */
export async function executionOrganization(db: Queryable, executionId: string): Promise<string | undefined> {
  const found = await db.query<{ organization_id: string }>({
    name: 'executions/execution-organization',
    text: 'SELECT organization_id FROM executions WHERE id = $1',
    values: [executionId],
  });
  return found.rows[0]?.organization_id;
}
