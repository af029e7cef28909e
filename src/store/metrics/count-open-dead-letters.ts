import type { Queryable } from '../query';

/** Dead letters not yet retried or purged, all organizations. */
export async function countOpenDeadLetters(db: Queryable): Promise<number> {
  const found = await db.query<{ n: string }>({ name: 'metrics/count-open-dead-letters', text: "SELECT count(*) AS n FROM dead_letters WHERE status IN ('open', 'retrying')" });
  return Number(found.rows[0].n);
}
