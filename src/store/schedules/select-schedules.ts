import type { Queryable } from '../query';
import { SCHEDULE_COLUMNS, scheduleRecord, type ScheduleRecord, type ScheduleRow } from './schedule-row';

/** The organization's schedules, oldest first. */
export async function selectSchedules(db: Queryable, organizationId: string): Promise<ScheduleRecord[]> {
  const found = await db.query<ScheduleRow>({
    text: `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE organization_id = $1 ORDER BY created_at, id`,
    values: [organizationId],
  });
  return found.rows.map(scheduleRecord);
}

/** One schedule of the organization; undefined when it has none of that id. */
export async function selectSchedule(db: Queryable, organizationId: string, id: string): Promise<ScheduleRecord | undefined> {
  const found = await db.query<ScheduleRow>({
    text: `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE organization_id = $1 AND id = $2`,
    values: [organizationId, id],
  });
  return found.rows[0] ? scheduleRecord(found.rows[0]) : undefined;
}
