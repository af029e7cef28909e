import type { StepUpdate } from '../../workflows/contracts/mirror';
import type { Queryable } from '../query';
import { stepRowsJson, upsertSteps, UPSERT_STEPS_SQL } from '../mirror/upsert-steps';
import { DECIDED_STEP_STATUSES } from './context-view';

/** The nodes a batch decides: the workflow's final word with a decided status. None: the batch takes no snapshot. */
export function decidedNodeIds(steps: readonly StepUpdate[]): string[] {
  return steps.filter((step) => step.final && DECIDED_STEP_STATUSES.includes(step.status)).map((step) => step.nodeId);
}

/**
 * The step upsert and the numbering of its snapshot as CTEs ($1 execution, $2 organization,
 * $3 the rows, $4 the node ids the batch decides), then the snapshot insert that follows them:
 * shared with the node activity's start (../mirror/start-attempt-with-carried-steps.ts), which
 * writes its attempt in the same statement.
 */
export const UPSERT_WITH_SNAPSHOT_CTES = `upserted AS (
       ${UPSERT_STEPS_SQL}
       RETURNING s.node_id, s.node_type, s.status, s.output, s.error
     ), decided AS (
       SELECT jsonb_object_agg(u.node_id, jsonb_build_object('status', u.status, 'nodeType', u.node_type)
                || CASE WHEN u.output IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('output', u.output) END
                || CASE WHEN u.error IS NULL OR u.error = 'null'::jsonb THEN '{}'::jsonb ELSE jsonb_build_object('error', u.error) END) AS nodes
         FROM upserted u
        WHERE u.node_id = ANY($4::text[])
     ), latest AS (
       SELECT decided FROM execution_context_snapshots WHERE execution_id = $1 ORDER BY sequence DESC LIMIT 1
     ), numbered AS (
       INSERT INTO execution_context_counters AS c (execution_id, last_sequence)
       SELECT $1, 1 FROM decided d
        WHERE d.nodes IS NOT NULL AND d.nodes IS DISTINCT FROM (SELECT decided FROM latest)
       ON CONFLICT (execution_id) DO UPDATE SET last_sequence = c.last_sequence + 1
       RETURNING c.last_sequence
     )`;

export const SNAPSHOT_INSERT = `INSERT INTO execution_context_snapshots (execution_id, organization_id, sequence, taken_at, decided)
     SELECT $1, $2, n.last_sequence, clock_timestamp(), d.nodes FROM numbered n, decided d`;

/**
 * Upserts a batch of step updates and takes its context snapshot (DESIGN §12) in one
 * statement, so it is atomic on the pool and needs no transaction of its own (inside one, it
 * commits with it). What the batch decided is read from the upserted rows as they now are (an
 * activity's confirmation carries no output: the activity's own write stored it). Returns the
 * sequence written, or undefined when the batch decided nothing or the latest snapshot already
 * says exactly this (the same batch applied again: a retried flush).
 *
 * Sequences stay 1..n without gaps while a node activity's carried write and a flush race:
 * the number comes from the execution's counter row (migration 015), whose lock, held until
 * commit, makes writers take the next number in turn; it is only taken when the snapshot is
 * written. Every writer locks step rows before the counter row, never the other way round.
 */
export async function upsertStepsWithSnapshot(db: Queryable, executionId: string, organizationId: string, steps: readonly StepUpdate[]): Promise<number | undefined> {
  if (steps.length === 0) return undefined;
  const decided = decidedNodeIds(steps);
  // Updates that decide no node (started, a map's progress) take no snapshot: the plain upsert.
  if (decided.length === 0) return upsertSteps(db, executionId, organizationId, steps).then(() => undefined);
  const written = await db.query<{ sequence: number }>({
    name: 'context-snapshots/upsert-steps-with-snapshot',
    text: `WITH ${UPSERT_WITH_SNAPSHOT_CTES}
     ${SNAPSHOT_INSERT}
     RETURNING sequence`,
    values: [executionId, organizationId, stepRowsJson(steps), decided],
  });
  return written.rows[0]?.sequence;
}
