/**
 * Recovery time after a SIGKILL (RELIABILITY.md, "Recovery time"). For each kill, the work
 * the killed worker held and how long it took a surviving worker to take it up:
 *
 * - an activity attempt it was running (the receiver saw its side effect from that worker and
 *   no end): from the SIGKILL to the next attempt of the same node starting on another worker
 *   (its side effect reaching the receiver). That includes the heartbeat timeout that notices
 *   the loss and the node's retry interval. When no attempt follows (its last attempt was
 *   lost), the first workflow task another worker completes for that execution ends it instead.
 * - a workflow it held: its last workflow task before the kill was started there (completed
 *   there, so the workflow sat in that worker's cache, its sticky queue, or still running
 *   there). Its next workflow task became due at the kill or when it was scheduled, whichever
 *   is later; it is recovered when another worker has completed a workflow task for it
 *   (history's WorkflowTaskCompleted and its identity): started is not enough, a task can
 *   time out on a worker too.
 *
 * A kill's recovery time is the longest of its items; the promise is that each is under 3 s.
 */
import type { temporal } from '@temporalio/proto';
import { slotsWorkflowId } from '../../src/workflows/contracts/names';
import type { ReceivedDelivery, ReceivedEnd } from './receiver';
import type { Kill } from './worker-fleet';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// Slots workflows' ids all start so (`slots:<org>:<key>`).
const SLOTS_PREFIX = `${slotsWorkflowId('', '').split(':')[0]}:`;

export interface RecoveryItem {
  kill: number;
  workflowId: string;
  what: string;
  ms: number;
}


export interface KillRecovery {
  kill: Kill;
  items: number;
  /** The longest item; undefined when the worker held nothing at that moment. */
  ms?: number;
  worst?: RecoveryItem;
  /** The longest item of the executions themselves, and of the slots workflows (queued executions wait on them). */
  executionsMs?: number;
  slotsMs?: number;
  /** Its three slowest items, for a person looking into a slow recovery. */
  slowest: RecoveryItem[];
}

/** A workflow task's events with their times and the worker identity that started or ended it. */
interface TaskEvent {
  type: 'scheduled' | 'started' | 'completed' | 'ended';
  at: number;
  identity?: string;
}

function timeOf(event: HistoryEvent): number {
  const ts = event.eventTime;
  return Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);
}

export function workflowTaskEvents(events: readonly HistoryEvent[]): TaskEvent[] {
  const tasks: TaskEvent[] = [];
  for (const event of events) {
    const at = timeOf(event);
    if (event.workflowTaskScheduledEventAttributes) tasks.push({ type: 'scheduled', at });
    else if (event.workflowTaskStartedEventAttributes) tasks.push({ type: 'started', at, identity: event.workflowTaskStartedEventAttributes.identity ?? '' });
    else if (event.workflowTaskCompletedEventAttributes) tasks.push({ type: 'completed', at, identity: event.workflowTaskCompletedEventAttributes.identity ?? '' });
    else if (event.workflowTaskFailedEventAttributes || event.workflowTaskTimedOutEventAttributes) tasks.push({ type: 'ended', at });
  }
  return tasks;
}

/** How long after `kill` a workflow it held waited for another worker; undefined when it held none. */
function workflowItem(tasks: TaskEvent[], kill: Kill): { ms: number; what: string } | undefined {
  const before = tasks.filter((task) => task.at < kill.at);
  let last = before.length - 1;
  while (last >= 0 && before[last].type !== 'started') last--;
  if (last < 0 || before[last].identity !== kill.worker) return undefined;
  const outcome = before[last + 1];
  if (outcome?.type === 'ended') return undefined; // that task had already timed out: the workflow had left
  // Completed there: the workflow sat in its cache, and its next task was due when scheduled.
  // Still running there: it was due at the kill.
  const due = outcome?.type === 'completed' ? tasks.slice(tasks.indexOf(outcome) + 1).find((task) => task.type === 'scheduled')?.at : kill.at;
  const taken = tasks.find((task) => task.type === 'completed' && task.at >= kill.at && task.identity !== kill.worker);
  if (due === undefined || !taken) return undefined; // it had nothing more to do
  const what = outcome?.type === 'completed' ? `next workflow task (cached there, due ${Math.max(0, due - kill.at)} ms after the kill)` : 'workflow task running there';
  return { ms: taken.at - Math.max(kill.at, due), what };
}

export function recoveryTimes(kills: readonly Kill[], deliveries: readonly ReceivedDelivery[], ends: readonly ReceivedEnd[], histories: ReadonlyMap<string, readonly HistoryEvent[]>): KillRecovery[] {
  const ended = new Set(ends.map((end) => `${end.worker}#${end.idempotencyKey}#${end.attempt}`));
  const tasksOf = new Map([...histories].map(([workflowId, events]) => [workflowId, workflowTaskEvents(events)]));
  return kills.map((kill, index) => {
    const items: RecoveryItem[] = [];
    // Attempts the killed worker was running: started there before the kill, never ended,
    // and not already superseded by a later attempt (a timeout that came before the kill).
    const cutOff = deliveries.filter(
      (d) =>
        d.worker === kill.worker &&
        d.receivedAt <= kill.at &&
        !ended.has(`${d.worker}#${d.idempotencyKey}#${d.attempt}`) &&
        !deliveries.some((later) => later.idempotencyKey === d.idempotencyKey && later.attempt > d.attempt && later.receivedAt <= kill.at),
    );
    for (const lost of cutOff) {
      const next = deliveries.find((d) => d.idempotencyKey === lost.idempotencyKey && d.attempt > lost.attempt && d.worker !== kill.worker);
      const taken = tasksOf.get(lost.workflowId)?.find((task) => task.type === 'completed' && task.at >= kill.at && task.identity !== kill.worker);
      const at = next?.receivedAt ?? taken?.at;
      const started = kill.at - lost.receivedAt;
      if (at !== undefined) items.push({ kill: index, workflowId: lost.workflowId, what: `${lost.activityId} attempt ${lost.attempt} (started ${started} ms before the kill) → ${next ? `attempt ${next.attempt}` : 'workflow task'}`, ms: at - kill.at });
    }
    for (const [workflowId, tasks] of tasksOf) {
      const item = workflowItem(tasks, kill);
      if (item) items.push({ kill: index, workflowId, ...item });
    }
    const worst = items.reduce<RecoveryItem | undefined>((a, b) => (a && a.ms >= b.ms ? a : b), undefined);
    const longest = (of: RecoveryItem[]): number | undefined => (of.length > 0 ? Math.max(...of.map((item) => item.ms)) : undefined);
    const isSlots = (item: RecoveryItem): boolean => item.workflowId.startsWith(SLOTS_PREFIX);
    return {
      kill,
      items: items.length,
      ms: worst?.ms,
      worst,
      executionsMs: longest(items.filter((item) => !isSlots(item))),
      slotsMs: longest(items.filter(isSlots)),
      slowest: [...items].sort((a, b) => b.ms - a.ms).slice(0, 3),
    };
  });
}

/**
 * How long workers took over each workflow task (started to completed), over all watched
 * histories: what a workflow task timeout must leave room for.
 */
export function workflowTaskDurations(histories: ReadonlyMap<string, readonly HistoryEvent[]>): number[] {
  const durations: number[] = [];
  for (const events of histories.values()) {
    const tasks = workflowTaskEvents(events);
    for (let i = 1; i < tasks.length; i++) if (tasks[i].type === 'completed' && tasks[i - 1].type === 'started') durations.push(tasks[i].at - tasks[i - 1].at);
  }
  return durations.sort((a, b) => a - b);
}
