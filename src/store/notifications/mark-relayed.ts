import type { Queryable } from '../query';

/** The delivery workflow of these notifications exists: the relay leaves them alone. */
export async function markRelayed(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query({
    name: 'notifications/mark-relayed',
    text: 'UPDATE notifications SET workflow_started_at = coalesce(workflow_started_at, now()) WHERE id = ANY ($1::text[])',
    values: [ids],
  });
}
