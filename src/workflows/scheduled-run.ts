/**
 * An execution started by a Temporal Schedule: the schedule's action carries the same
 * arguments to every run, without an execution id (DESIGN §10). The run's workflow id,
 * `sched:<org>:<id>-<scheduled time>`, unique per action, becomes the execution id, so the
 * mirror, dead letters and slots see a scheduled execution like any other. No command
 * depends on it: histories of executions started otherwise replay unchanged.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { GraphExecutionArgs } from './contracts/execution';

export function withExecutionId(args: GraphExecutionArgs): GraphExecutionArgs {
  if (args.executionId) return args;
  return { ...args, executionId: workflowInfo().workflowId };
}
