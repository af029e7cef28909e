/**
 * What a schedule request says, checked and turned into Temporal's terms: a cron expression
 * or an interval, and the overlap policy. Cron syntax is Temporal's to judge (the server
 * parses it when the schedule is created, see schedules.ts); what we check here is
 * everything Temporal would otherwise accept silently or round away.
 */
import { ScheduleOverlapPolicy, type ScheduleSpec as TemporalSpec } from '@temporalio/client';
import { DURATION_RULE, durationMs, isDuration } from '../../workflows/graph/durations';
import type { ValidationProblem } from '../../workflows/graph/types';
import { OVERLAP_POLICIES, type OverlapPolicy, type ScheduleSpec } from '../../store/schedules/schedule-row';
import { InvalidRequestError } from '../errors';

/** What a caller gives to make a schedule; exactly one of `cron` and `every`. */
export interface ScheduleRequest {
  graphId: string;
  /** Omitted: the latest version at creation, pinned from then on. */
  version?: number;
  cron?: string;
  every?: string;
  input?: unknown;
  overlap?: string;
}

const MAX_CRON_LENGTH = 200;

const OVERLAP_TO_TEMPORAL: Record<OverlapPolicy, (typeof ScheduleOverlapPolicy)[keyof typeof ScheduleOverlapPolicy]> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer: ScheduleOverlapPolicy.BUFFER_ONE,
  allow: ScheduleOverlapPolicy.ALLOW_ALL,
};

function isOverlap(value: string): value is OverlapPolicy {
  return (OVERLAP_POLICIES as readonly string[]).includes(value);
}

/** The spec and overlap of a request; InvalidRequestError naming every problem with its path. */
export function checkScheduleRequest(request: ScheduleRequest): { spec: ScheduleSpec; overlap: OverlapPolicy } {
  const problems: ValidationProblem[] = [];
  if ((request.cron === undefined) === (request.every === undefined)) {
    problems.push({ path: '$', message: 'give exactly one of cron (e.g. "*/5 * * * *") and every (e.g. "10m")' });
  }
  if (request.cron !== undefined && (request.cron.trim() === '' || request.cron.length > MAX_CRON_LENGTH || /[\r\n]/.test(request.cron))) {
    problems.push({ path: '$.cron', message: `must be a cron expression on one line, at most ${MAX_CRON_LENGTH} characters, e.g. "*/5 * * * *"` });
  }
  if (request.every !== undefined) {
    if (!isDuration(request.every)) problems.push({ path: '$.every', message: DURATION_RULE });
    // Temporal rounds intervals to whole seconds: "1500ms" would silently run every 2 s.
    else if (durationMs(request.every) < 1000 || durationMs(request.every) % 1000 !== 0) problems.push({ path: '$.every', message: 'must be whole seconds, at least "1s"' });
  }
  const overlap = request.overlap ?? 'skip';
  if (!isOverlap(overlap)) problems.push({ path: '$.overlap', message: `must be one of ${OVERLAP_POLICIES.join(', ')}` });
  if (problems.length > 0) throw new InvalidRequestError('schedule is invalid', problems);
  return { spec: request.cron !== undefined ? { cron: request.cron.trim() } : { every: request.every! }, overlap: overlap as OverlapPolicy };
}

/** Our spec in Temporal's terms. */
export function temporalSpec(spec: ScheduleSpec): TemporalSpec {
  return 'cron' in spec ? { cronExpressions: [spec.cron] } : { intervals: [{ every: durationMs(spec.every) }] };
}

export function temporalOverlap(overlap: OverlapPolicy): (typeof ScheduleOverlapPolicy)[keyof typeof ScheduleOverlapPolicy] {
  return OVERLAP_TO_TEMPORAL[overlap];
}
