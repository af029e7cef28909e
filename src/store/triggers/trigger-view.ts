export interface TriggerView {
  triggerId: string;
  eventType: string;
  graphId: string;
  /** null: the latest version at the time of the event. */
  graphVersion: number | null;
  /** A CEL condition over `event`; null: every event of the type. */
  filter: string | null;
  createdAt: string;
}

/** The row insert-trigger.ts and select-triggers.ts return. */
export interface TriggerRow {
  id: string;
  event_type: string;
  graph_id: string;
  graph_version: number | null;
  filter: string | null;
  created_at: string;
}

export const triggerView = (row: TriggerRow): TriggerView => ({ triggerId: row.id, eventType: row.event_type, graphId: row.graph_id, graphVersion: row.graph_version, filter: row.filter, createdAt: row.created_at });
