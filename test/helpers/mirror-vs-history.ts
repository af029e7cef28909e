/**
 * Where the Postgres mirror of one ended execution disagrees with Temporal's history, as a
 * list (empty when they agree) rather than assertions, so the chaos suite can count them.
 * History's word per node is the workflow's result (every node's final status and attempts)
 * and each node's activity events (its outcome and the attempt that ended it). The mirror
 * must say the same in execution_steps, and execution_step_attempts must hold attempts
 * 1..N, each before the last failed, the last ending as the activity did.
 * Reads the latest run's history only (an execution that continued as new is not covered).
 */
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { GraphExecutionResult, StepSummary } from '../../src/workflows/contracts/execution';
import { activitiesFromHistory, type ActivityFromHistory } from './history';

export interface StepMismatch {
  executionId: string;
  nodeId: string;
  problem: string;
}

const STATUS_OF_OUTCOME: Record<ActivityFromHistory['outcome'], string> = {
  completed: 'completed',
  failed: 'failed',
  timed_out: 'failed',
  cancelled: 'cancelled',
  cancel_requested: 'cancelled',
  open: 'running',
};

/** The steps the workflow returned (or attached to its failure); undefined when it has none (terminated). */
async function resultSteps(temporal: Client, executionId: string): Promise<Record<string, StepSummary> | undefined> {
  try {
    return ((await temporal.workflow.getHandle(executionId).result()) as GraphExecutionResult).steps;
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) return (cause.details?.[0] as GraphExecutionResult | undefined)?.steps;
    return undefined;
  }
}

interface AttemptRow {
  node_id: string;
  kind: 'run' | 'compensate';
  attempt: number;
  status: string;
}

/** Problems with one activity's attempt rows: 1..N, every one before the last failed, the last `last`. */
function attemptRowProblems(kind: AttemptRow['kind'], rows: AttemptRow[], attempts: number, last: string): string[] {
  const numbers = rows.map((row) => row.attempt);
  const expected = Array.from({ length: attempts }, (_, i) => i + 1);
  if (numbers.join() !== expected.join()) return [`${kind} attempt rows ${JSON.stringify(numbers)}, history has ${attempts}`];
  const problems: string[] = [];
  const earlier = rows.slice(0, -1).filter((row) => row.status !== 'failed');
  if (earlier.length > 0) problems.push(`${kind} attempts ${earlier.map((r) => `${r.attempt}=${r.status}`).join(', ')} before the last are not failed`);
  const final = rows.at(-1);
  if (final && final.status !== last) problems.push(`last ${kind} attempt is ${final.status}, history says ${last}`);
  return problems;
}

export async function mirrorMismatches(temporal: Client, pool: Pool, executionId: string): Promise<StepMismatch[]> {
  const [history, activities, steps, attempts] = await Promise.all([
    resultSteps(temporal, executionId),
    activitiesFromHistory(temporal, executionId),
    pool.query<{ node_id: string; status: string; attempts: number }>('SELECT node_id, status, attempts FROM execution_steps WHERE execution_id = $1', [executionId]),
    pool.query<AttemptRow>('SELECT node_id, kind, attempt, status FROM execution_step_attempts WHERE execution_id = $1 ORDER BY node_id, kind, attempt', [executionId]),
  ]);
  const mirror = new Map(steps.rows.map((row) => [row.node_id, row]));
  const rowsOf = (nodeId: string, kind: AttemptRow['kind']): AttemptRow[] => attempts.rows.filter((row) => row.node_id === nodeId && row.kind === kind);
  const activityOf = new Map(activities.map((activity) => [activity.activityId, activity]));
  const nodeIds = new Set([...mirror.keys(), ...Object.keys(history ?? {}), ...activities.filter((a) => !a.activityId.endsWith(':compensate')).map((a) => a.activityId)]);

  const mismatches: StepMismatch[] = [];
  for (const nodeId of nodeIds) {
    const step = mirror.get(nodeId);
    const problems: string[] = [];
    if (!step) problems.push('no step row in the mirror');
    const told = history?.[nodeId];
    if (told && step && (told.status !== step.status || told.attempts !== step.attempts)) {
      problems.push(`mirror ${step.status}/${step.attempts} attempts, workflow result ${told.status}/${told.attempts}`);
    }
    const activity = activityOf.get(nodeId);
    const compensation = activityOf.get(`${nodeId}:compensate`);
    if (activity) {
      const compensated = activity.outcome === 'completed' && compensation?.outcome === 'completed';
      const status = compensated ? 'compensated' : STATUS_OF_OUTCOME[activity.outcome];
      if (step && step.status !== status) problems.push(`mirror status ${step.status}, history's activity ${activity.outcome}${compensated ? ' and compensated' : ''}`);
      // A cancel requested before any attempt started leaves no attempt in history.
      if (activity.outcome !== 'cancel_requested') {
        if (step && step.attempts !== activity.attempts) problems.push(`mirror ${step.attempts} attempts, history ${activity.attempts}`);
        problems.push(...attemptRowProblems('run', rowsOf(nodeId, 'run'), activity.attempts, STATUS_OF_OUTCOME[activity.outcome]));
      }
    } else {
      if (step && step.attempts !== 0) problems.push(`mirror ${step.attempts} attempts, no activity in history`);
      if (rowsOf(nodeId, 'run').length > 0) problems.push('attempt rows for a node that never ran as an activity');
    }
    if (compensation) problems.push(...attemptRowProblems('compensate', rowsOf(nodeId, 'compensate'), compensation.attempts, STATUS_OF_OUTCOME[compensation.outcome]));
    else if (rowsOf(nodeId, 'compensate').length > 0) problems.push('compensation attempt rows without a compensation in history');
    for (const problem of problems) mismatches.push({ executionId, nodeId, problem });
  }
  return mismatches;
}
