/**
 * Recovery time after a SIGKILL (RELIABILITY.md, "Recovery time"). For each kill, the work
 * the killed worker held and how long it took a surviving worker to take it up:
 *
 * - an activity attempt it was running (the receiver saw its side effect from that worker and
 *   no end): from the SIGKILL to the next attempt of the same node starting on another worker
 *   (its side effect reaching the receiver). That includes the heartbeat timeout that notices
 *   the loss and the node's retry interval. When no attempt follows (its last attempt was
 *   lost), the first workflow task another worker takes up for that execution ends it instead.
 * - a workflow it held: its last workflow task before the kill was started there (completed
 *   there, so the workflow sat in that worker's cache, its sticky queue, or still running
 *   there). Its next workflow task became due at the kill or when it was scheduled, whichever
 *   is later; it is recovered when another worker takes up a workflow task for it: starts one
 *   (history's WorkflowTaskStarted and its identity) that it then completes, or is still
 *   running when a later kill takes that worker too. A task a live worker started and then
 *   let time out does not count.
 *
 * The promise has two parts. Work handed over (an activity attempt, a workflow in the killed
 * worker's cache) continues within RECOVERY_PROMISE_MS. A workflow task the killed worker was
 * in the middle of (or that was dispatched to its poll as it died) is Temporal's to give back,
 * after the workflow's workflow task timeout: within that timeout plus RECOVERY_PROMISE_MS.
 */
import type { temporal } from '@temporalio/proto';
import type { ReceivedDelivery, ReceivedEnd } from './receiver';
import type { Kill } from './worker-fleet';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** After a worker dies, what it held continues on another worker within this (RELIABILITY.md). */
export const RECOVERY_PROMISE_MS = 3000;

export type RecoveryKind = 'handed-over' | 'held-task';

export interface RecoveryItem {
  kill: number;
  workflowId: string;
  kind: RecoveryKind;
  what: string;
  ms: number;
  /** What the promise allows this item. */
  boundMs: number;
}

export interface KillRecovery {
  kill: Kill;
  items: number;
  /** The longest item; undefined when the worker held nothing at that moment. */
  ms?: number;
  /** The longest item of each kind. */
  handedOverMs?: number;
  heldTaskMs?: number;
  /** Items that took longer than their bound. */
  overBound: RecoveryItem[];
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

/** The workflow task timeout the workflow was started with (Temporal's 10 s when unset). */
function workflowTaskTimeoutOf(events: readonly HistoryEvent[]): number {
  const timeout = events[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout;
  return timeout ? Number(timeout.seconds ?? 0) * 1000 + Math.floor((timeout.nanos ?? 0) / 1e6) : 10_000;
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

/**
 * The first workflow task another worker started after `kill` and completed, or that it was
 * still running when a later kill took that worker too (even in the instant it was handed
 * over): that kill answers for the rest. A task a live worker started and then let time out
 * has not taken the work up.
 */
function takenUp(tasks: TaskEvent[], kill: Kill, kills: readonly Kill[], from = kill.at): TaskEvent | undefined {
  return tasks.find((task, i) => {
    if (task.type !== 'started' || task.at < from || task.identity === kill.worker) return false;
    const next = tasks[i + 1];
    if (next?.type === 'completed' && next.identity === task.identity) return true;
    return kills.some((later) => later !== kill && later.worker === task.identity && later.at > kill.at && later.at <= (next?.at ?? Infinity));
  });
}

/** How long after `kill` a workflow it held waited for another worker; undefined when it held none. */
function workflowItem(tasks: TaskEvent[], kill: Kill, kills: readonly Kill[]): { ms: number; what: string; kind: RecoveryKind } | undefined {
  // A task dispatched to the killed worker's poll in the instant it died: Temporal gives it
  // back after its timeout, like one that was running there.
  const dispatched = tasks.find((task) => task.type === 'started' && task.at >= kill.at && task.identity === kill.worker);
  if (dispatched) {
    const taken = takenUp(tasks, kill, kills, dispatched.at);
    return taken ? { ms: taken.at - kill.at, what: 'workflow task dispatched to it as it died', kind: 'held-task' } : undefined;
  }
  const before = tasks.filter((task) => task.at < kill.at);
  let last = before.length - 1;
  while (last >= 0 && before[last].type !== 'started') last--;
  if (last < 0 || before[last].identity !== kill.worker) return undefined;
  const outcome = before[last + 1];
  if (outcome?.type === 'ended') return undefined; // that task had already timed out: the workflow had left
  const taken = takenUp(tasks, kill, kills);
  if (outcome?.type !== 'completed') {
    // Still running there: due at the kill, given back by Temporal after its timeout.
    return taken ? { ms: taken.at - kill.at, what: 'workflow task running there', kind: 'held-task' } : undefined;
  }
  // Completed there: the workflow sat in its cache, and its next task was due when scheduled.
  const due = tasks.slice(tasks.indexOf(outcome) + 1).find((task) => task.type === 'scheduled')?.at;
  if (due === undefined || !taken) return undefined; // it had nothing more to do
  return { ms: taken.at - Math.max(kill.at, due), what: `next workflow task (cached there, due ${Math.max(0, due - kill.at)} ms after the kill)`, kind: 'handed-over' };
}

export function recoveryTimes(kills: readonly Kill[], deliveries: readonly ReceivedDelivery[], ends: readonly ReceivedEnd[], histories: ReadonlyMap<string, readonly HistoryEvent[]>): KillRecovery[] {
  const ended = new Set(ends.map((end) => `${end.worker}#${end.idempotencyKey}#${end.attempt}`));
  const tasksOf = new Map([...histories].map(([workflowId, events]) => [workflowId, workflowTaskEvents(events)]));
  const heldBound = (workflowId: string): number => workflowTaskTimeoutOf(histories.get(workflowId) ?? []) + RECOVERY_PROMISE_MS;
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
      const taken = takenUp(tasksOf.get(lost.workflowId) ?? [], kill, kills);
      const at = next?.receivedAt ?? taken?.at;
      const what = `${lost.activityId} attempt ${lost.attempt} (started ${kill.at - lost.receivedAt} ms before the kill) → ${next ? `attempt ${next.attempt}` : 'workflow task'}`;
      if (at !== undefined) items.push({ kill: index, workflowId: lost.workflowId, kind: 'handed-over', what, ms: at - kill.at, boundMs: RECOVERY_PROMISE_MS });
    }
    for (const [workflowId, tasks] of tasksOf) {
      const item = workflowItem(tasks, kill, kills);
      if (item) items.push({ kill: index, workflowId, ...item, boundMs: item.kind === 'held-task' ? heldBound(workflowId) : RECOVERY_PROMISE_MS });
    }
    const longest = (kind?: RecoveryKind): number | undefined => {
      const of = items.filter((item) => kind === undefined || item.kind === kind);
      return of.length > 0 ? Math.max(...of.map((item) => item.ms)) : undefined;
    };
    return {
      kill,
      items: items.length,
      ms: longest(),
      handedOverMs: longest('handed-over'),
      heldTaskMs: longest('held-task'),
      overBound: items.filter((item) => item.ms >= item.boundMs),
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
