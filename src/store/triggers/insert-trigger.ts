import { randomBytes } from 'node:crypto';
import type { Queryable } from '../query';
import { triggerView, type TriggerRow, type TriggerView } from './trigger-view';

/** A new trigger under a fresh id: events of `eventType` start the graph (latest version unless given), when `filter` (CEL) holds. */
export async function insertTrigger(db: Queryable, organizationId: string, eventType: string, graphId: string, graphVersion?: number, filter?: string): Promise<TriggerView> {
  const found = await db.query<TriggerRow>({
    text: 'INSERT INTO triggers (id, organization_id, event_type, graph_id, graph_version, filter) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, event_type, graph_id, graph_version, filter, created_at',
    values: [`trg_${randomBytes(6).toString('hex')}`, organizationId, eventType, graphId, graphVersion ?? null, filter ?? null],
  });
  return triggerView(found.rows[0]);
}
