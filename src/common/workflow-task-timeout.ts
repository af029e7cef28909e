/**
 * The workflow task timeout of the executions the engine starts: Temporal's default (10 s)
 * for graphs under 50 nodes, 1 s more per 50 nodes (replaying grows with the history), at
 * most 60 s. It bounds how long one worker may take over one workflow task, and a task that
 * always takes longer is retried without end: the execution stalls, its deadline timer
 * included. A 2 s timeout (to hand a task held by a killed worker on sooner) did exactly that
 * on a loaded 2-core machine, where tasks took up to 7.6 s (the chaos run's p99 was 4.9 s) and
 * the graph fuzz saw 1- and 3-node executions stay running past their deadline. So a kill that
 * lands inside a workflow task costs up to this timeout; everything else a dead worker held
 * moves on after the 1 s sticky timeout (src/worker.ts) or the activity's heartbeat timeout.
 * Slots workflows keep Temporal's default.
 */
const BASE_MS = 10_000;
const PER_50_NODES_MS = 1000;
const MAX_MS = 60_000;

/** The timeout for the execution of a graph of `nodeCount` nodes. */
export function workflowTaskTimeoutMs(nodeCount: number): number {
  return Math.min(MAX_MS, BASE_MS + Math.floor(nodeCount / 50) * PER_50_NODES_MS);
}
