/** The runs of an execution that continued as new, first to last, summed up from their histories (helpers/history.ts). */
import type { Client } from '@temporalio/client';
import { runHistories } from './history';

export interface RunOfChain {
  runId: string;
  /** Activity ids scheduled in this run (one per activity-backed node or map item). */
  activityIds: string[];
  /** How the run's history ends. */
  end: 'continuedAsNew' | 'completed' | string;
  /** Events in the run's history. */
  events: number;
}

export async function runsOf(client: Client, workflowId: string): Promise<RunOfChain[]> {
  return (await runHistories(client, workflowId)).map(({ runId, events }) => {
    const last = events.at(-1);
    return {
      runId,
      activityIds: events.flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes.activityId ?? ''] : [])),
      end: last?.workflowExecutionContinuedAsNewEventAttributes ? 'continuedAsNew' : last?.workflowExecutionCompletedEventAttributes ? 'completed' : String(last?.eventType),
      events: events.length,
    };
  });
}
