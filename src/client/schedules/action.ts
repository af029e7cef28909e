/**
 * The action of a schedule: start the graph execution workflow exactly as the client's own
 * start does (src/client/start.ts): workflow type, task queue, task timeout, search attributes
 * and summary. The arguments are fixed when the schedule is made, so they carry no execution
 * id (each run takes its workflow id, src/workflows/scheduled-run.ts) and no slot token (each
 * run makes its own); the run asks for its concurrency slot itself, as every execution does.
 */
import type { ScheduleOptionsAction } from '@temporalio/client';
import { workflowTaskTimeoutMs } from '../../common/workflow-task-timeout';
import { workflowTags } from '../../common/workflow-tags';
import { CURRENT_INTERPRETER, type GraphExecutionArgs } from '../../workflows/contracts/execution';
import { GRAPH_WORKFLOW } from '../../workflows/contracts/names';
import type { GraphDocument, Json } from '../../workflows/graph/types';
import { concurrencyKeyOf } from '../concurrency-key';

export interface ScheduledGraph {
  organizationId: string;
  scheduleId: string;
  /** `sched:<org>:<id>`: the schedule in Temporal, and the prefix of its runs' workflow ids. */
  temporalId: string;
  graph: GraphDocument;
  input: Json;
  taskQueue: string;
}

/**
 * The concurrency key is evaluated once, here: the input is the same for every run, and
 * `execution.id` in the key expression is the schedule's Temporal id. So all runs of a
 * schedule share the key's slots (with other executions of the same key).
 */
export function scheduleAction(scheduled: ScheduledGraph): ScheduleOptionsAction {
  const { organizationId, scheduleId, temporalId, graph, input } = scheduled;
  const args: GraphExecutionArgs = { executionId: '', scheduleId, organizationId, graph, input, ...CURRENT_INTERPRETER };
  if (graph.settings?.concurrency) args.concurrencyKey = concurrencyKeyOf({ ...args, executionId: temporalId });
  return {
    type: 'startWorkflow',
    workflowType: GRAPH_WORKFLOW,
    workflowId: temporalId,
    taskQueue: scheduled.taskQueue,
    workflowTaskTimeout: workflowTaskTimeoutMs(graph.nodes.length),
    args: [args],
    memo: { scheduleId },
    ...workflowTags(organizationId, graph, `${graph.id} v${graph.version} (schedule ${scheduleId})`),
  };
}
