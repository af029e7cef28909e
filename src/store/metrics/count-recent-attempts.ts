import type { Queryable } from '../query';

/** Activity attempts recorded in the last hour, per status. */
export async function countRecentAttempts(db: Queryable): Promise<{ status: string; count: number }[]> {
  const found = await db.query<{ status: string; n: string }>({
    name: 'metrics/count-recent-attempts',
    text: "SELECT status, count(*) AS n FROM execution_step_attempts WHERE coalesce(finished_at, started_at) > now() - interval '1 hour' GROUP BY status",
  });
  return found.rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}
