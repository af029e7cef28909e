/**
 * The end of an execution, whatever ended it: the output, compensation of what completed
 * (newest first, when it failed for good), the last word for the mirror with the dead-letter
 * row in the same transaction, the dead-letter workflow, the slot given back, and the
 * result or failure Temporal records. Every decision comes from graph/outcome.ts.
 */
import { ApplicationFailure, CancellationScope, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { workflowTags } from '../common/workflow-tags';
import type { DeadLetterArgs } from './contracts/dead-letters';
import type { GraphExecutionResult, StepSummary } from './contracts/execution';
import type { DeadLetterRecord } from './contracts/mirror';
import { DEAD_LETTER_WORKFLOW, deadLetterId } from './contracts/names';
import type { Execution } from './execution-setup';
import { renderTemplate } from './graph/expressions';
import { compensationOrder, executionOutput, failedNodeIds, finalError, finalStatus, needsDeadLetter } from './graph/outcome';
import type { Json } from './graph/types';
import { runCompensation } from './node-runner';

/** The execution, and the cancellation that ended it (rethrown so Temporal shows it Canceled). */
export type Finishing = Execution & { cancellation?: unknown };

export async function finishExecution(ending: Finishing): Promise<GraphExecutionResult> {
  const { run, graph, mirror } = ending;
  let output: Json = null;
  if (run.going) {
    try {
      output = executionOutput(graph, run.plan, (template) => renderTemplate(template, ending.variables(ending.args.input), '$.settings.output'));
    } catch (error) {
      run.outputFailed(error instanceof Error ? error.message : String(error));
    }
  }
  ending.deadline.cancel();

  // Failed for good: undo what completed, newest first. Runs to the end even if the
  // workflow is cancelled meanwhile.
  if (run.failure && !run.cancelled) {
    const compensationFailures = await CancellationScope.nonCancellable(() => compensate(ending));
    if (compensationFailures.length > 0) run.failure = { ...run.failure, compensationFailures };
    mirror.observe();
  }

  const end = run.end;
  const status = finalStatus(end);
  const error = finalError(end);
  // A subgraph's child gets no dead letter of its own: its parent's node fails, and the
  // parent's dead letter (if any) is what an operator retries or resumes.
  const onFailure = ending.args.parentExecutionId ? 'fail' : graph.settings?.onFailure;
  const deadLetter: DeadLetterRecord | undefined = needsDeadLetter(end, onFailure)
    ? { id: deadLetterId(ending.ids.executionId), failedNodes: failedNodeIds(run.plan, run.interrupted), error: run.failure! }
    : undefined;

  // The last word for the mirror must land even when the workflow itself is being cancelled.
  await CancellationScope.nonCancellable(async () => {
    await mirror.drain({ ...ending.executionBase, status, output, error, finishedAt: ending.now() }, deadLetter);
    // Started after the row is written: a worker dying in between replays to this point and
    // starts it then, so no dead letter is ever lost.
    if (deadLetter) await startDeadLetterWorkflow(ending, deadLetter);
    // On every way the execution ends, its slot (held or queued) goes back.
    await ending.slot.release();
  });

  const steps: Record<string, StepSummary> = {};
  for (const node of graph.nodes) {
    const state = run.plan.state(node.id);
    steps[node.id] = { status: state.status, attempts: run.meta.get(node.id)?.attempts ?? 0, ...(state.status === 'completed' && state.reused ? { reused: true } : {}) };
  }
  const result: GraphExecutionResult = { executionId: ending.ids.executionId, status, output, error, steps };
  if (run.timedOut) throw ApplicationFailure.create({ type: 'DeadlineExceeded', message: run.failure!.message, nonRetryable: true, details: [result] });
  // Rethrowing the cancellation makes Temporal show the run as Canceled, like the mirror.
  if (run.cancelled) throw ending.cancellation;
  if (run.failure) throw ApplicationFailure.create({ type: run.failure.type, message: run.failure.message, nonRetryable: true, details: [result] });
  return result;
}

/** Runs each compensation in order; returns those that failed for good (their step stays completed). */
async function compensate({ run, graph, ids, effects, variables }: Finishing): Promise<{ nodeId: string; type: string; message: string }[]> {
  const failures: { nodeId: string; type: string; message: string }[] = [];
  for (const nodeId of compensationOrder(run.plan)) {
    const node = run.plan.node(nodeId);
    const state = run.plan.state(nodeId) as { output: Json };
    let config: Json;
    try {
      config = renderTemplate(node.compensate!.config ?? {}, variables(state.output), `$.nodes[${graph.nodes.indexOf(node)}].compensate.config`);
    } catch (err) {
      failures.push({ nodeId, type: 'ExpressionError', message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const outcome = await runCompensation(node, config, state.output, ids, effects);
    const meta = run.meta.get(nodeId);
    if (meta) meta.compensationAttempts = outcome.ok ? outcome.attempts : outcome.error.attempts;
    if (outcome.ok) run.plan.markCompensated(nodeId);
    else failures.push({ nodeId, type: outcome.error.type, message: outcome.error.message });
  }
  return failures;
}

async function startDeadLetterWorkflow({ ids, graph }: Finishing, record: DeadLetterRecord): Promise<void> {
  const args: DeadLetterArgs = { deadLetterId: record.id, executionId: ids.executionId, organizationId: ids.organizationId };
  try {
    await startChild(DEAD_LETTER_WORKFLOW, {
      workflowId: record.id,
      args: [args],
      // The dead letter outlives the failed execution.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      ...workflowTags(ids.organizationId, graph, `dead letter of ${ids.executionId}`),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
