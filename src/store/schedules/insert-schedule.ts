import type { Queryable } from '../query';
import { SCHEDULE_COLUMNS, scheduleRecord, type ScheduleRecord, type ScheduleRow } from './schedule-row';

/** Stores a new schedule of the organization; its id is fresh, so it never conflicts. */
export async function insertSchedule(db: Queryable, organizationId: string, schedule: Omit<ScheduleRecord, 'createdAt'>): Promise<ScheduleRecord> {
  const inserted = await db.query<ScheduleRow>({
    text: `INSERT INTO schedules (organization_id, id, graph_id, graph_version, spec, overlap, input)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb) RETURNING ${SCHEDULE_COLUMNS}`,
    values: [organizationId, schedule.id, schedule.graphId, schedule.graphVersion, JSON.stringify(schedule.spec), schedule.overlap, JSON.stringify(schedule.input)],
  });
  return scheduleRecord(inserted.rows[0]);
}
