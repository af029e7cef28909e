import type { StepUpdate } from '../../workflows/contracts/mirror';
import { lockForTransaction } from '../advisory-lock';
import type { Queryable } from '../query';
import { DECIDED_STEP_STATUSES } from './context-view';

/** The nodes a batch decides: the workflow's final word with a decided status. None: the batch takes no snapshot. */
export function decidedNodeIds(steps: readonly StepUpdate[]): string[] {
  return steps.filter((step) => step.final && DECIDED_STEP_STATUSES.includes(step.status)).map((step) => step.nodeId);
}

/**
 * Takes the snapshot of a mirror batch, after its steps were upserted and in the same
 * transaction (`db` must be a client inside one): what the batch decided, read back from the
 * step rows (an activity's confirmation carries no output, its own write stored it). Returns
 * the sequence written, or undefined when the batch decided nothing or the latest snapshot
 * already says exactly this (the same batch applied again: a retried flush).
 *
 * Sequences stay 1..n without gaps while a node activity's carried write and a flush race:
 * the per-execution lock, held until commit, makes writers take the next number in turn.
 */
export async function recordContextSnapshot(db: Queryable, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<number | undefined> {
  const decided = decidedNodeIds(steps);
  if (decided.length === 0) return undefined;
  await lockForTransaction(db, `context-snapshot:${executionId}`);
  const written = await db.query<{ sequence: number }>({
    name: 'context-snapshots/record',
    text: `WITH decided AS (
       SELECT jsonb_object_agg(s.node_id, jsonb_build_object('status', s.status, 'nodeType', s.node_type)
                || CASE WHEN s.output IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('output', s.output) END
                || CASE WHEN s.error IS NULL OR s.error = 'null'::jsonb THEN '{}'::jsonb ELSE jsonb_build_object('error', s.error) END) AS nodes
         FROM execution_steps s
        WHERE s.execution_id = $1 AND s.organization_id = $2 AND s.node_id = ANY($3::text[])
     ), latest AS (
       SELECT sequence, decided FROM execution_context_snapshots WHERE execution_id = $1 ORDER BY sequence DESC LIMIT 1
     )
     INSERT INTO execution_context_snapshots (execution_id, organization_id, sequence, taken_at, decided)
     SELECT $1, $2, coalesce((SELECT sequence FROM latest), 0) + 1, clock_timestamp(), d.nodes
       FROM decided d
      WHERE d.nodes IS NOT NULL AND d.nodes IS DISTINCT FROM (SELECT decided FROM latest)
     RETURNING sequence`,
    values: [executionId, organizationId, decided],
  });
  return written.rows[0]?.sequence;
}
