/**
 * The workflow task timeout of the executions the engine starts. A workflow task handed to a
 * worker that dies (SIGKILL, a lost host) goes to another worker only when this passes; that
 * includes a task dispatched to the dead worker's poll in the instant it died. Temporal's 10 s
 * default would be the recovery time; 2 s keeps it within RELIABILITY.md's 3 s.
 *
 * It bounds how long a worker may take over one workflow task. Local activities (the mirror's
 * writes) do not count: the SDK heartbeats the task at 80 % of it. Replaying does, and it
 * grows with the history, so with the graph: a task that always took longer than the timeout
 * would be retried forever (Temporal backs off between attempts, the execution stalls). So a
 * larger graph gets 1 s more per 50 nodes, up to Temporal's default. On two busy cores a
 * replay cost about 2.5 ms per history event, a 20-node execution has ~150 events.
 *
 * The slots workflows keep Temporal's default: their histories run to 2,000 events before
 * they continue as new, and replaying ~850 of them took over 2 s in the chaos run.
 */
const BASE_MS = 2000;
const PER_50_NODES_MS = 1000;
const MAX_MS = 10_000;

/** The timeout for the execution of a graph of `nodeCount` nodes. */
export function workflowTaskTimeoutMs(nodeCount: number): number {
  return Math.min(MAX_MS, BASE_MS + Math.floor(nodeCount / 50) * PER_50_NODES_MS);
}
