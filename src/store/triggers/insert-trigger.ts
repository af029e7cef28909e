import { randomBytes } from 'node:crypto';
import type { Queryable } from '../query';
import { triggerView, type TriggerRow, type TriggerView } from './trigger-view';

/** A new trigger under a fresh id: events of `eventType` start the graph (latest version unless given). */
export async function insertTrigger(db: Queryable, organizationId: string, eventType: string, graphId: string, graphVersion?: number): Promise<TriggerView> {
  const found = await db.query<TriggerRow>({
    text: 'INSERT INTO triggers (id, organization_id, event_type, graph_id, graph_version) VALUES ($1, $2, $3, $4, $5) RETURNING id, event_type, graph_id, graph_version, created_at',
    values: [`trg_${randomBytes(6).toString('hex')}`, organizationId, eventType, graphId, graphVersion ?? null],
  });
  return triggerView(found.rows[0]);
}
