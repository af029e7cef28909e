/**
 * Schedules (DESIGN §10): each is a Temporal Schedule `sched:<org>:<id>` whose action starts
 * the graph execution. The `schedules` table says which exist in an organization (so another
 * organization's id is simply not found, and listing does not wait on Temporal's visibility);
 * Temporal says whether each is paused.
 */
import { randomBytes } from 'node:crypto';
import { ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { deleteScheduleRow } from '../../store/schedules/delete-schedule';
import { insertSchedule } from '../../store/schedules/insert-schedule';
import type { ScheduleRecord } from '../../store/schedules/schedule-row';
import { selectSchedule, selectSchedules } from '../../store/schedules/select-schedules';
import { temporalScheduleId } from '../../workflows/contracts/names';
import type { Json } from '../../workflows/graph/types';
import type { ClientDeps } from '../deps';
import { InvalidRequestError, NotFoundError } from '../errors';
import { loadGraph } from '../graphs';
import { checkInput } from '../start';
import { withPostgres, withTemporal } from '../unavailable';
import { scheduleAction } from './action';
import { checkScheduleRequest, temporalOverlap, temporalSpec, type ScheduleRequest } from './spec';

export interface ScheduleView extends ScheduleRecord {
  /** The schedule's id in Temporal (`temporal schedule describe --schedule-id ...`). */
  temporalScheduleId: string;
  paused: boolean;
  /** When the next run is due (none while paused). */
  nextRunAt: string | null;
}

export interface CreatedSchedule extends ScheduleView {
  /** No version was given: the latest one at creation is pinned. */
  pinnedLatest: boolean;
}

function view(record: ScheduleRecord, organizationId: string, description: ScheduleDescription): ScheduleView {
  const next = description.info.nextActionTimes[0];
  return { ...record, temporalScheduleId: temporalScheduleId(organizationId, record.id), paused: description.state.paused, nextRunAt: next && !description.state.paused ? next.toISOString() : null };
}

/** Temporal's refusal of a spec (a cron it cannot parse) as a problem at the field that holds it. */
function specRefusal(error: unknown, request: ScheduleRequest): unknown {
  if (!(error instanceof TypeError)) return error;
  const path = request.cron !== undefined ? '$.cron' : '$.every';
  return new InvalidRequestError('schedule is invalid', [{ path, message: `Temporal refused it: ${error.message.split('\n')[0]}` }]);
}

export class Schedules {
  constructor(private readonly deps: ClientDeps) {}

  /** A new schedule of a stored graph (the latest version when none is given, pinned from then on). */
  async create(organizationId: string, request: ScheduleRequest): Promise<CreatedSchedule> {
    const { spec, overlap } = checkScheduleRequest(request);
    const input = (request.input === undefined ? {} : request.input) as Json;
    checkInput(input);
    const graph = await loadGraph(this.deps.pool, organizationId, request.graphId, request.version);
    const id = `sch_${randomBytes(6).toString('hex')}`;
    const temporalId = temporalScheduleId(organizationId, id);
    const action = scheduleAction({ organizationId, scheduleId: id, temporalId, graph, input, taskQueue: this.deps.taskQueue });
    // The row first: a schedule never runs without being listed. Temporal refusing it takes the row back.
    const record = await withPostgres(() => insertSchedule(this.deps.pool, organizationId, { id, graphId: graph.id, graphVersion: graph.version, spec, overlap, input }));
    try {
      await withTemporal(() =>
        this.deps.temporal.schedule.create({
          scheduleId: temporalId,
          spec: temporalSpec(spec),
          action,
          // Runs missed while Temporal was down are made up for a minute back, not a year (the
          // SDK's default): an `every 1s` schedule must not start a flood after an outage.
          policies: { overlap: temporalOverlap(overlap), catchupWindow: '1m' },
          memo: { organizationId, graphId: graph.id, graphVersion: graph.version },
        }),
      );
    } catch (error) {
      await withPostgres(() => deleteScheduleRow(this.deps.pool, organizationId, id)).catch(() => undefined);
      throw specRefusal(error, request);
    }
    return { ...(await this.get(organizationId, record.id)), pinnedLatest: request.version === undefined };
  }

  /** The organization's schedules, oldest first (one whose Temporal schedule is gone is left out). */
  async list(organizationId: string): Promise<ScheduleView[]> {
    const records = await withPostgres(() => selectSchedules(this.deps.pool, organizationId));
    const described = await Promise.all(records.map((record) => this.describe(organizationId, record.id)));
    return records.flatMap((record, index) => (described[index] ? [view(record, organizationId, described[index])] : []));
  }

  async get(organizationId: string, id: string): Promise<ScheduleView> {
    const record = await this.record(organizationId, id);
    const description = await this.describe(organizationId, id);
    if (!description) throw new NotFoundError('schedule', id);
    return view(record, organizationId, description);
  }

  /** No more runs until resumed (a run in progress goes on). */
  async pause(organizationId: string, id: string): Promise<ScheduleView> {
    await this.record(organizationId, id);
    await this.onHandle(id, () => this.handle(organizationId, id).pause('paused through wf-engine'));
    return this.get(organizationId, id);
  }

  async resume(organizationId: string, id: string): Promise<ScheduleView> {
    await this.record(organizationId, id);
    await this.onHandle(id, () => this.handle(organizationId, id).unpause('resumed through wf-engine'));
    return this.get(organizationId, id);
  }

  /** Gone from Temporal and from the list; executions it started stay. */
  async delete(organizationId: string, id: string): Promise<void> {
    await this.record(organizationId, id);
    try {
      await withTemporal(() => this.handle(organizationId, id).delete());
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error; // deleted in Temporal already: drop the row too
    }
    await withPostgres(() => deleteScheduleRow(this.deps.pool, organizationId, id));
  }

  private handle(organizationId: string, id: string) {
    return this.deps.temporal.schedule.getHandle(temporalScheduleId(organizationId, id));
  }

  private async record(organizationId: string, id: string): Promise<ScheduleRecord> {
    const record = await withPostgres(() => selectSchedule(this.deps.pool, organizationId, id));
    if (!record) throw new NotFoundError('schedule', id);
    return record;
  }

  private async describe(organizationId: string, id: string): Promise<ScheduleDescription | undefined> {
    try {
      return await withTemporal(() => this.handle(organizationId, id).describe());
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return undefined;
      throw error;
    }
  }

  private async onHandle(id: string, work: () => Promise<void>): Promise<void> {
    try {
      await withTemporal(work);
    } catch (error) {
      throw error instanceof ScheduleNotFoundError ? new NotFoundError('schedule', id) : error;
    }
  }
}
