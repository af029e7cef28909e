/**
 * The rules of a `"local": true` node (DESIGN §11, fast nodes). A local node runs as a
 * Temporal local activity inside the workflow task: no task-queue round trip, no
 * ActivityTaskScheduled event. That is only safe for short work: the workflow task is held
 * (and heartbeated by the SDK) while it runs, and a local activity cannot heartbeat. So
 * only activity types may be local, with an explicit `startToClose` of at most 10s, and
 * without a heartbeat timeout.
 */
import { durationMs, isDuration } from './durations';
import type { NodeTypeSpec } from './node-types';
import type { ValidationProblem } from './types';

/** The longest `timeout.startToClose` a local node may have. */
export const MAX_LOCAL_START_TO_CLOSE = '10s';
const MAX_LOCAL_START_TO_CLOSE_MS = durationMs(MAX_LOCAL_START_TO_CLOSE);

const WHERE_IT_RUNS = { inline: 'inline in the workflow', timer: 'as a workflow timer', signal: 'in the workflow, waiting for a signal', child: 'as a child workflow', map: 'in the workflow, one activity per item' } as const;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Problems of a raw node that sets `local: true` (`spec` is its type's, when known); none otherwise. */
export function localNodeProblems(raw: Record<string, unknown>, spec: NodeTypeSpec | undefined, base: string): ValidationProblem[] {
  if (raw.local !== true) return [];
  const name = typeof raw.id === 'string' ? `node "${raw.id}"` : 'a node';
  const problems: ValidationProblem[] = [];
  if (spec && spec.runtime !== 'activity') {
    problems.push({ path: `${base}.local`, message: `${name} cannot be local: only activity node types run as local activities, and "${String(raw.type)}" runs ${WHERE_IT_RUNS[spec.runtime]}` });
    return problems;
  }
  const timeout = isRecord(raw.timeout) ? raw.timeout : {};
  const startToClose = timeout.startToClose;
  if (startToClose === undefined) {
    problems.push({ path: `${base}.timeout.startToClose`, message: `${name} is local: it needs timeout.startToClose of at most ${MAX_LOCAL_START_TO_CLOSE} (the default is 5m)` });
  } else if (typeof startToClose === 'string' && isDuration(startToClose) && durationMs(startToClose) > MAX_LOCAL_START_TO_CLOSE_MS) {
    problems.push({ path: `${base}.timeout.startToClose`, message: `${name} is local: timeout.startToClose must be at most ${MAX_LOCAL_START_TO_CLOSE}, not ${startToClose}` });
  }
  if (timeout.heartbeat !== undefined) {
    problems.push({ path: `${base}.timeout.heartbeat`, message: `${name} is local: a local activity cannot heartbeat, so it takes no timeout.heartbeat` });
  }
  return problems;
}
