import type { StepUpdate } from '../../workflows/contracts/mirror';
import { decidedNodeIds, SNAPSHOT_INSERT, UPSERT_WITH_SNAPSHOT_CTES } from '../context-snapshots/upsert-steps-with-snapshot';
import type { Queryable } from '../query';
import type { AttemptKey } from './attempt-key';
import { attemptStartedSql } from './record-attempt-started';
import { stepRowsJson } from './upsert-steps';

// $1-$4 are the carried batch's (UPSERT_WITH_SNAPSHOT_CTES); the attempt's follow.
const ATTEMPT = attemptStartedSql({ execution: '$1', organization: '$2', node: '$5', attempt: '$6::int', nodeType: '$7' }, 'ordered');

/**
 * A node activity's start in one statement: the step updates that rode along with it, with
 * their context snapshot (as writeCarriedSteps writes them), then its attempt and its step
 * shown running (as recordAttemptStarted writes them). One round trip and one statement per
 * node activity instead of two.
 *
 * Only for carried updates that do not touch the starting node: one statement must not
 * write a row twice. The starting node's step insert reads the snapshot's result first, so
 * rows are locked in the order every writer keeps (step rows of the batch, then the counter
 * row; the starting node's row last, as when the two statements ran one after the other).
 */
export async function startAttemptWithCarriedSteps(db: Queryable, key: AttemptKey, steps: readonly StepUpdate[]): Promise<void> {
  if (steps.some((step) => step.nodeId === key.nodeId)) throw new Error(`the carried updates include the starting node ${key.nodeId}: write them apart`);
  await db.query({
    name: 'mirror/start-attempt-with-carried-steps',
    text: `WITH ${UPSERT_WITH_SNAPSHOT_CTES}, snapshot AS (
       ${SNAPSHOT_INSERT}
       RETURNING sequence
     ), ordered AS (
       SELECT count(*) AS written FROM snapshot
     ), ${ATTEMPT.attemptCte}
     ${ATTEMPT.stepInsert}`,
    values: [key.executionId, key.organizationId, stepRowsJson(steps), decidedNodeIds(steps), key.nodeId, key.attempt, key.nodeType],
  });
}
