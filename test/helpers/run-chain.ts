/** The runs of an execution that continued as new, first to last, read from Temporal's histories. */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface RunOfChain {
  runId: string;
  /** Activity ids scheduled in this run (one per activity-backed node or map item). */
  activityIds: string[];
  /** How the run's history ends. */
  end: 'continuedAsNew' | 'completed' | string;
  /** Events in the run's history. */
  events: number;
}

/** Every run of a workflow id, first to last, by following each run's WorkflowExecutionContinuedAsNew event. */
export async function runsOf(client: Client, workflowId: string): Promise<RunOfChain[]> {
  // The latest run's start event names the chain's first run.
  const latestStart = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  let runId: string | undefined = latestStart?.firstExecutionRunId ?? undefined;
  if (!runId) throw new Error(`no first run id in the history of ${workflowId}`);
  const runs: RunOfChain[] = [];
  while (runId) {
    if (runs.length >= 100) throw new Error(`more than 100 runs in the chain of ${workflowId}`);
    const events: temporal.api.history.v1.IHistoryEvent[] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const last = events.at(-1);
    const continued: { newExecutionRunId?: string | null } | null | undefined = last?.workflowExecutionContinuedAsNewEventAttributes;
    runs.push({
      runId,
      activityIds: events.flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes.activityId ?? ''] : [])),
      end: continued ? 'continuedAsNew' : last?.workflowExecutionCompletedEventAttributes ? 'completed' : String(last?.eventType),
      events: events.length,
    });
    runId = continued?.newExecutionRunId ?? undefined;
  }
  return runs;
}
