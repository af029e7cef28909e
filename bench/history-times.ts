/**
 * When things happened in one execution's Temporal history, as epoch milliseconds of the
 * server's clock: each activity's end (ActivityTaskCompleted) and the workflow task that
 * decided each inline node. The mirror-lag bench (bench/mirror-lag.ts) compares them with
 * when the step rows became visible.
 */
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

const toMs = (t: Timestamp): number => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

export interface ActivityEnd {
  /** The ActivityTaskCompleted event's id: the workflow task started after it is the one that saw the result. */
  eventId: number;
  endedMs: number;
}

export interface WorkflowTaskTimes {
  startedMs: number;
  completedMs: number;
}

export interface HistoryTimes {
  /** Per activityId (the engine uses the node id): its completion, when it completed. */
  activityEnds: Map<string, ActivityEnd>;
  /** The first workflow task started after event `eventId` (0: the first task), once it completed. */
  taskAfter(eventId: number): WorkflowTaskTimes | undefined;
}

export function historyTimes(history: History): HistoryTimes {
  const events = history.events ?? [];
  const activityIdOf = new Map<number, string>();
  const activityEnds = new Map<string, ActivityEnd>();
  const tasks: { startedId: number; startedMs: number; completedMs?: number }[] = [];
  const taskByStartedId = new Map<number, (typeof tasks)[number]>();
  for (const event of events) {
    const id = Number(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityId) activityIdOf.set(id, scheduled.activityId);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const activityId = activityIdOf.get(Number(completed.scheduledEventId));
      if (activityId !== undefined) activityEnds.set(activityId, { eventId: id, endedMs: toMs(event.eventTime) });
    }
    if (event.workflowTaskStartedEventAttributes) {
      const task = { startedId: id, startedMs: toMs(event.eventTime) };
      tasks.push(task);
      taskByStartedId.set(id, task);
    }
    const taskCompleted = event.workflowTaskCompletedEventAttributes;
    if (taskCompleted) {
      const task = taskByStartedId.get(Number(taskCompleted.startedEventId));
      if (task) task.completedMs = toMs(event.eventTime);
    }
  }
  return {
    activityEnds,
    taskAfter(eventId) {
      // A task that failed or timed out decided nothing: the next one that completed did.
      const task = tasks.find((t) => t.startedId > eventId && t.completedMs !== undefined);
      return task ? { startedMs: task.startedMs, completedMs: task.completedMs! } : undefined;
    },
  };
}

/**
 * For each inline node (no activity of its own), the event after which the workflow decided
 * it: it runs in the first workflow task that sees its last predecessor's result. An activity
 * predecessor's result is its ActivityTaskCompleted; an inline predecessor's is decided in the
 * same task as itself; a node without predecessors is decided in the first task (event 0).
 */
export function inlineDecisionEvents(nodeIds: string[], edges: { from: string; to: string }[], activityEnds: Map<string, ActivityEnd>): Map<string, number> {
  const predecessors = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) predecessors.get(edge.to)?.push(edge.from);
  const anchors = new Map<string, number>();
  const anchorOf = (id: string): number => {
    const known = anchors.get(id);
    if (known !== undefined) return known;
    const activity = activityEnds.get(id);
    // An activity node's own result is what its successors wait for; the graph is acyclic.
    const anchor = activity ? activity.eventId : Math.max(0, ...(predecessors.get(id) ?? []).map(anchorOf));
    anchors.set(id, anchor);
    return anchor;
  };
  const inline = new Map<string, number>();
  for (const id of nodeIds) {
    if (activityEnds.has(id)) continue;
    inline.set(id, Math.max(0, ...(predecessors.get(id) ?? []).map(anchorOf)));
  }
  return inline;
}
