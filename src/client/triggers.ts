/** SQL of triggers and received events. */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/query';
import type { Json } from '../workflows/graph/types';

export interface TriggerView {
  triggerId: string;
  eventType: string;
  graphId: string;
  /** null: the latest version at the time of the event. */
  graphVersion: number | null;
  createdAt: string;
}

interface Row {
  id: string;
  event_type: string;
  graph_id: string;
  graph_version: number | null;
  created_at: string;
}

const view = (row: Row): TriggerView => ({ triggerId: row.id, eventType: row.event_type, graphId: row.graph_id, graphVersion: row.graph_version, createdAt: row.created_at });

export async function insertTrigger(db: Queryable, organizationId: string, eventType: string, graphId: string, graphVersion?: number): Promise<TriggerView> {
  const found = await db.query<Row>(
    'INSERT INTO triggers (id, organization_id, event_type, graph_id, graph_version) VALUES ($1, $2, $3, $4, $5) RETURNING id, event_type, graph_id, graph_version, created_at',
    [`trg_${randomBytes(6).toString('hex')}`, organizationId, eventType, graphId, graphVersion ?? null],
  );
  return view(found.rows[0]);
}

export async function selectTriggers(db: Queryable, organizationId: string, eventType?: string): Promise<TriggerView[]> {
  const found = await db.query<Row>(
    'SELECT id, event_type, graph_id, graph_version, created_at FROM triggers WHERE organization_id = $1 AND ($2::text IS NULL OR event_type = $2) ORDER BY created_at, id',
    [organizationId, eventType ?? null],
  );
  return found.rows.map(view);
}

export async function deleteTrigger(db: Queryable, organizationId: string, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM triggers WHERE id = $1 AND organization_id = $2', [id, organizationId])).rowCount ?? 0) > 0;
}

/** Records an event once; undefined when this id was received before (then its stored execution ids). */
export async function recordEvent(db: Queryable, organizationId: string, id: string, type: string, payload: Json, executionIds: string[]): Promise<{ duplicate: boolean; executionIds: string[] }> {
  const inserted = await db.query(
    'INSERT INTO events (organization_id, id, type, payload, execution_ids) VALUES ($1, $2, $3, $4::jsonb, $5::text[]) ON CONFLICT (organization_id, id) DO NOTHING',
    [organizationId, id, type, JSON.stringify(payload), executionIds],
  );
  if ((inserted.rowCount ?? 0) > 0) return { duplicate: false, executionIds };
  const found = await db.query<{ execution_ids: string[] }>('SELECT execution_ids FROM events WHERE organization_id = $1 AND id = $2', [organizationId, id]);
  return { duplicate: true, executionIds: found.rows[0]?.execution_ids ?? [] };
}
