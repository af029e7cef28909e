import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { temporal as proto } from '@temporalio/proto';

export interface ActivityFromHistory {
  activityId: string;
  activityType: string;
  attempts: number;
  outcome: 'completed' | 'failed' | 'timed_out' | 'cancelled' | 'cancel_requested' | 'open';
}

const num = (value: unknown): number => Number(String(value ?? 0));

/** What Temporal's history says about each (non-local) activity of a workflow. */
export async function activitiesFromHistory(temporal: Client, workflowId: string): Promise<ActivityFromHistory[]> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const byScheduledId = new Map<number, ActivityFromHistory>();
  for (const event of history.events ?? []) {
    const id = num(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      byScheduledId.set(id, { activityId: scheduled.activityId ?? '', activityType: scheduled.activityType?.name ?? '', attempts: 0, outcome: 'open' });
      continue;
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) byScheduledId.get(num(started.scheduledEventId))!.attempts = started.attempt ?? 1;
    const closed: [unknown, ActivityFromHistory['outcome']][] = [
      [event.activityTaskCompletedEventAttributes, 'completed'],
      [event.activityTaskFailedEventAttributes, 'failed'],
      [event.activityTaskTimedOutEventAttributes, 'timed_out'],
      [event.activityTaskCanceledEventAttributes, 'cancelled'],
      [event.activityTaskCancelRequestedEventAttributes, 'cancel_requested'],
    ];
    for (const [attributes, outcome] of closed) {
      if (attributes) byScheduledId.get(num((attributes as { scheduledEventId?: unknown }).scheduledEventId))!.outcome = outcome;
    }
  }
  return [...byScheduledId.values()];
}

/** How many local activities (mirror flushes) the workflow ran: one marker each. */
export async function localActivityCount(temporal: Client, workflowId: string): Promise<number> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
}

/** The cause the server gives when it refuses a task's completion because new events (an
 * activity's end, a timer, a signal) arrived while the task ran: Temporal's own race, which the
 * worker answers with a fresh task holding those events, not a failure of the workflow's code. */
const NEW_EVENTS_ARRIVED = proto.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;

/** The failure messages of the workflow tasks that failed in a workflow's history (none: []),
 * leaving out the server's "new events arrived" refusals (see NEW_EVENTS_ARRIVED). */
export async function workflowTaskFailures(temporal: Client, workflowId: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const failed = event.workflowTaskFailedEventAttributes;
    if (!failed || failed.cause === NEW_EVENTS_ARRIVED) return [];
    return [failed.failure?.message ?? 'workflow task failed'];
  });
}

/** The activity type of each local activity marker in a workflow's history, in order (the mirror's are `mirrorFlush`). */
export async function localActivityTypes(temporal: Client, workflowId: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    // Core's marker data: a JSON payload naming the activity type (its result is a payload of its own).
    const data = marker.details?.data?.payloads?.[0]?.data;
    const parsed = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string }) : {};
    return [parsed.activity_type ?? parsed.activityType ?? '?'];
  });
}

/** One run of a workflow id: its history events and, when it continued as new, what it carried. */
export interface RunHistory {
  runId: string;
  events: temporal.api.history.v1.IHistoryEvent[];
  /** The `carried` argument the run passed to the next one (decoded), when it continued as new. */
  carried?: unknown;
}

/** Every run of a workflow id, first to last, following each run's WorkflowExecutionContinuedAsNew event. */
export async function runHistories(client: Client, workflowId: string): Promise<RunHistory[]> {
  const latest = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  let runId: string | undefined = latest?.firstExecutionRunId ?? undefined;
  if (!runId) throw new Error(`no first run id in the history of ${workflowId}`);
  const runs: RunHistory[] = [];
  while (runId) {
    if (runs.length >= 100) throw new Error(`more than 100 runs in the chain of ${workflowId}`);
    const events: temporal.api.history.v1.IHistoryEvent[] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const continued: temporal.api.history.v1.IWorkflowExecutionContinuedAsNewEventAttributes | null | undefined = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
    const payload = continued?.input?.payloads?.[0];
    const carried = payload ? (defaultPayloadConverter.fromPayload<{ carried?: unknown }>(payload)).carried : undefined;
    runs.push({ runId, events, ...(continued ? { carried } : {}) });
    runId = continued?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** The most ActivityTaskScheduled events any one workflow task of `events` produced. */
export function mostActivitiesPerWorkflowTask(events: readonly temporal.api.history.v1.IHistoryEvent[]): number {
  const perTask = new Map<string, number>();
  for (const event of events) {
    const task = event.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
    if (task !== undefined && task !== null) perTask.set(String(task), (perTask.get(String(task)) ?? 0) + 1);
  }
  return Math.max(0, ...perTask.values());
}
