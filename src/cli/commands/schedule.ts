/** `wf schedule create | list | pause | resume | delete`: Temporal Schedules that start a graph (DESIGN §10). */
import type { ScheduleView } from '../../client/schedules/schedules';
import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { parseGraphRef } from '../graph-ref';
import { parseJson } from '../read-json';

type Out = (line: string) => void;

/** The JSON shape of DESIGN §10. */
function scheduleJson(schedule: ScheduleView): Record<string, unknown> {
  return { id: schedule.id, graphId: schedule.graphId, graphVersion: schedule.graphVersion, spec: schedule.spec, overlap: schedule.overlap, paused: schedule.paused };
}

function scheduleText(schedule: ScheduleView): string {
  const when = 'cron' in schedule.spec ? `cron ${JSON.stringify(schedule.spec.cron)}` : `every ${schedule.spec.every}`;
  const state = schedule.paused ? 'paused' : `next run ${schedule.nextRunAt ?? '-'}`;
  return `${schedule.id}  ${schedule.graphId} v${schedule.graphVersion}  ${when}  overlap ${schedule.overlap}  ${state}  (Temporal: ${schedule.temporalScheduleId})`;
}

export async function scheduleCreateCommand(
  graph: string,
  options: { cron?: string; every?: string; input?: string; overlap?: string; org?: string; json?: boolean },
  out: Out,
): Promise<number> {
  const ref = parseGraphRef(graph);
  const input = options.input !== undefined ? parseJson(options.input, '--input') : undefined;
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const created = await client.schedules.create(config.organizationId, { ...ref, cron: options.cron, every: options.every, input, overlap: options.overlap });
    if (options.json) {
      out(JSON.stringify(scheduleJson(created)));
      return EXIT.ok;
    }
    out(`created schedule ${scheduleText(created)}`);
    if (created.pinnedLatest) out(`no version given: pinned to the latest, version ${created.graphVersion}`);
    return EXIT.ok;
  });
}

export async function scheduleListCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const schedules = await client.schedules.list(config.organizationId);
    if (options.json) out(JSON.stringify(schedules.map(scheduleJson)));
    else if (schedules.length === 0) out('no schedules');
    else for (const schedule of schedules) out(scheduleText(schedule));
    return EXIT.ok;
  });
}

/** pause, resume: print the schedule as it is afterwards. */
export async function scheduleStateCommand(action: 'pause' | 'resume', id: string, options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const schedule = action === 'pause' ? await client.schedules.pause(config.organizationId, id) : await client.schedules.resume(config.organizationId, id);
    out(options.json ? JSON.stringify(scheduleJson(schedule)) : `${action === 'pause' ? 'paused' : 'resumed'} ${scheduleText(schedule)}`);
    return EXIT.ok;
  });
}

export async function scheduleDeleteCommand(id: string, options: { org?: string }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.schedules.delete(config.organizationId, id);
    out(`deleted schedule ${id}`);
    return EXIT.ok;
  });
}
