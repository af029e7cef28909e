import type { Json } from '../../workflows/graph/types';

/** When a schedule acts: a cron expression or a fixed interval (a duration like "1s", "10m"). */
export type ScheduleSpec = { cron: string } | { every: string };

/** What happens when a run is due while the previous one still runs (Temporal's overlap policy). */
export const OVERLAP_POLICIES = ['skip', 'buffer', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** A schedule as the organization asked for it (stored in `schedules`). */
export interface ScheduleRecord {
  id: string;
  graphId: string;
  graphVersion: number;
  spec: ScheduleSpec;
  overlap: OverlapPolicy;
  input: Json;
  createdAt: string;
}

/** The row the schedule queries return. */
export interface ScheduleRow {
  id: string;
  graph_id: string;
  graph_version: number;
  spec: ScheduleSpec;
  overlap: OverlapPolicy;
  input: Json;
  created_at: string;
}

export const SCHEDULE_COLUMNS = 'id, graph_id, graph_version, spec, overlap, input, created_at';

export const scheduleRecord = (row: ScheduleRow): ScheduleRecord => ({
  id: row.id,
  graphId: row.graph_id,
  graphVersion: row.graph_version,
  spec: row.spec,
  overlap: row.overlap,
  input: row.input,
  createdAt: row.created_at,
});
