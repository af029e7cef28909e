import type { Queryable } from '../query';

/** Executions in the mirror per status, all organizations. */
export async function countExecutionsByStatus(db: Queryable): Promise<{ status: string; count: number }[]> {
  const found = await db.query<{ status: string; n: string }>({ name: 'metrics/count-executions-by-status', text: 'SELECT status, count(*) AS n FROM executions GROUP BY status' });
  return found.rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
