/**
 * The workflow task timeout of every workflow the engine starts (executions, slots workflows).
 * A workflow task handed to a worker that dies (SIGKILL, a lost host) goes to another worker
 * only when this passes; that includes a task dispatched to the dead worker's poll in the
 * instant it died. Temporal's 10 s default would be the recovery time; 2 s keeps recovery
 * within RELIABILITY.md's 3 s.
 *
 * It bounds how long a worker may take over one workflow task. Local activities (the mirror's
 * writes) do not count: the SDK heartbeats the task at 80 % of it. Validating, planning and
 * replaying do, and they grow with the graph: a task that always took longer than the timeout
 * would be retried forever. So a large graph gets 1 s more per 1,000 nodes, up to Temporal's
 * default. A task that times out on a live worker (a cold start on a saturated machine) is
 * only run again; the chaos run reports the processing times it saw beside this.
 */
const BASE_MS = 2000;
const PER_THOUSAND_NODES_MS = 1000;
const MAX_MS = 10_000;

/** The timeout for a workflow that interprets a graph of `nodeCount` nodes (0: no graph, e.g. a slots workflow). */
export function workflowTaskTimeoutMs(nodeCount = 0): number {
  return Math.min(MAX_MS, BASE_MS + Math.floor(nodeCount / 1000) * PER_THOUSAND_NODES_MS);
}
