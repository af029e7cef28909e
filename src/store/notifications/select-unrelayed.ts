import type { Queryable } from '../query';

/** Pending notifications whose delivery workflow was not started yet, oldest first (the relay's poll). */
export async function selectUnrelayed(db: Queryable, limit: number): Promise<string[]> {
  const found = await db.query<{ id: string }>({
    name: 'notifications/select-unrelayed',
    text: `SELECT id FROM notifications WHERE status = 'pending' AND workflow_started_at IS NULL ORDER BY created_at, id LIMIT $1`,
    values: [limit],
  });
  return found.rows.map((row) => row.id);
}
