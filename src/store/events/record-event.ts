import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/**
 * Records a received event once, idempotent on (organization, event id). A repeated id is
 * `duplicate`, with the execution ids stored the first time.
 */
export async function recordEvent(db: Queryable, organizationId: string, id: string, type: string, payload: Json, executionIds: string[]): Promise<{ duplicate: boolean; executionIds: string[] }> {
  const inserted = await db.query({
    name: 'events/insert-event',
    text: 'INSERT INTO events (organization_id, id, type, payload, execution_ids) VALUES ($1, $2, $3, $4::jsonb, $5::text[]) ON CONFLICT (organization_id, id) DO NOTHING',
    values: [organizationId, id, type, JSON.stringify(payload), executionIds],
  });
  if ((inserted.rowCount ?? 0) > 0) return { duplicate: false, executionIds };
  const found = await db.query<{ execution_ids: string[] }>({
    name: 'events/event-executions',
    text: 'SELECT execution_ids FROM events WHERE organization_id = $1 AND id = $2',
    values: [organizationId, id],
  });
  return { duplicate: true, executionIds: found.rows[0]?.execution_ids ?? [] };
}
