/**
 * Limits on what a run starts, so wide and long graphs stay within Temporal's (DESIGN §11):
 * a batch of activities per workflow task, however high maxParallelism is, and no run's
 * history past 10,240 events (Temporal's warning mark), by starting only what the rest of
 * the run can still record and continuing as new once nothing more fits. Both limits came
 * after histories were recorded without them, so they apply only behind `patched()`, asked
 * when a limit first binds.
 */
import { patched, workflowInfo } from '@temporalio/workflow';

export const WIDE_GRAPH_LIMITS_PATCH = 'wide-graph-limits';
/** DESIGN §11's bound on activities scheduled by one workflow task: no task response nears 4 MB. */
export const MAX_ACTIVITIES_PER_TASK = 200;
/**
 * The batch actually scheduled per workflow task, below that bound: a batch of quick
 * activities completes while the next workflow task runs, and Temporal buffers at most 100
 * events meanwhile (two per activity: started, completed). Past that the server fails the
 * task (FORCE_CLOSE_COMMAND), the worker evicts the run and replays its whole history, which
 * makes the next task slower still: with batches of 200, a 1,000-wide fan-out failed most of
 * its workflow tasks.
 */
export const ACTIVITIES_PER_TASK = 40;
export const MAX_EVENTS_PER_RUN = 10_240;
/**
 * The most events a started node adds before it settles: scheduled, started, completed (or
 * a timer's started and fired), a workflow task of its own (scheduled, started, completed)
 * and a mirror flush marker. Retries add none: Temporal records only the last attempt.
 */
export const EVENTS_PER_NODE = 7;
/** Events kept for ending a run: the mirror's last batches (500 steps each), continue-as-new or completion. */
export const RESERVED_EVENTS = 400;

export class LaunchBudget {
  /** History length at the start of the current workflow task: it changes with every task. */
  private task = -1;
  private activitiesInTask = 0;

  /** May one more node that is not inline start, with `inFlight` running or about to launch? */
  allows(runtime: string, inFlight: number): boolean {
    this.sync();
    const taskFull = runtime === 'activity' && this.activitiesInTask >= ACTIVITIES_PER_TASK;
    return !(taskFull || this.historyFull(inFlight)) || !limitsApply();
  }

  /** A node of `runtime` was started (an activity is scheduled in this task). */
  started(runtime: string): void {
    this.sync();
    if (runtime === 'activity') this.activitiesInTask += 1;
  }

  /** No other node fits in this run's history beside the `running` ones: time to continue as new. */
  full(running: number): boolean {
    return this.historyFull(running) && limitsApply();
  }

  private historyFull(running: number): boolean {
    return workflowInfo().historyLength + (running + 1) * EVENTS_PER_NODE > MAX_EVENTS_PER_RUN - RESERVED_EVENTS;
  }

  private sync(): void {
    const task = workflowInfo().historyLength;
    if (task === this.task) return;
    this.task = task;
    this.activitiesInTask = 0;
  }
}

function limitsApply(): boolean {
  return patched(WIDE_GRAPH_LIMITS_PATCH);
}
