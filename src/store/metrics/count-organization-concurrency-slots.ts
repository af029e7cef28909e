import type { Queryable } from '../query';
import type { ConcurrencySlotCount } from './count-concurrency-slots';

/** One organization's executions holding (`running`) or waiting for (`queued`) a slot, per concurrency key. */
export async function countOrganizationConcurrencySlots(db: Queryable, organizationId: string): Promise<ConcurrencySlotCount[]> {
  const found = await db.query<{ concurrency_key: string; status: 'queued' | 'running'; n: string }>({
    name: 'metrics/count-organization-concurrency-slots',
    text: `SELECT concurrency_key, status, count(*) AS n FROM executions
          WHERE organization_id = $1 AND concurrency_key IS NOT NULL AND status IN ('queued', 'running')
          GROUP BY concurrency_key, status`,
    values: [organizationId],
  });
  return found.rows.map((row) => ({ organizationId, key: row.concurrency_key, status: row.status, count: Number(row.n) }));
}
