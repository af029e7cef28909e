import type { Queryable } from '../query';
import { triggerView, type TriggerRow, type TriggerView } from './trigger-view';

/** The organization's triggers (of one event type, when given), oldest first. */
export async function selectTriggers(db: Queryable, organizationId: string, eventType?: string): Promise<TriggerView[]> {
  const found = await db.query<TriggerRow>({
    name: 'triggers/select-triggers',
    text: 'SELECT id, event_type, graph_id, graph_version, filter, created_at FROM triggers WHERE organization_id = $1 AND ($2::text IS NULL OR event_type = $2) ORDER BY created_at, id',
    values: [organizationId, eventType ?? null],
  });
  return found.rows.map(triggerView);
}
