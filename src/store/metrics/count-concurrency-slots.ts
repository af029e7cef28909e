import type { Queryable } from '../query';

export interface ConcurrencySlotCount {
  organizationId: string;
  key: string;
  status: 'queued' | 'running';
  count: number;
}

/** Executions holding (`running`) or waiting for (`queued`) a slot, per organization and concurrency key. */
export async function countConcurrencySlots(db: Queryable): Promise<ConcurrencySlotCount[]> {
  const found = await db.query<{ organization_id: string; concurrency_key: string; status: 'queued' | 'running'; n: string }>({
    name: 'metrics/count-concurrency-slots',
    text: `SELECT organization_id, concurrency_key, status, count(*) AS n FROM executions
          WHERE concurrency_key IS NOT NULL AND status IN ('queued', 'running')
          GROUP BY organization_id, concurrency_key, status`,
  });
  return found.rows.map((row) => ({ organizationId: row.organization_id, key: row.concurrency_key, status: row.status, count: Number(row.n) }));
}
