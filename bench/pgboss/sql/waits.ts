/** The counters of inputs a join (a node with several incoming edges) still waits for. */
import type { Db } from 'pg-boss';
import type { Tables } from './tables';

export async function insertWaits(db: Db, t: Tables, executionId: string, joins: { nodeId: string; inputs: number }[]): Promise<void> {
  if (joins.length === 0) return;
  await db.executeSql(`INSERT INTO ${t.waits} (execution_id, node_id, remaining) SELECT $1, * FROM unnest($2::text[], $3::int[])`, [
    executionId,
    joins.map((join) => join.nodeId),
    joins.map((join) => join.inputs),
  ]);
}

/**
 * Counts inputs off; returns the joins that now have all of theirs. The rows are locked in key
 * order first, so two transactions counting off the same joins queue rather than deadlock; the
 * one that reaches zero has waited for the others' commits, so their step rows are visible to it.
 */
export async function countOffInputs(db: Db, t: Tables, counts: { execution_id: string; node_id: string; n: number }[]): Promise<{ execution_id: string; node_id: string }[]> {
  if (counts.length === 0) return [];
  const { rows } = await db.executeSql(
    `WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(execution_id uuid, node_id text, n int)),
          locked AS (SELECT w.execution_id, w.node_id FROM ${t.waits} w JOIN d USING (execution_id, node_id)
                      ORDER BY w.execution_id, w.node_id FOR UPDATE OF w)
     UPDATE ${t.waits} w SET remaining = w.remaining - d.n FROM d, locked l
      WHERE w.execution_id = d.execution_id AND w.node_id = d.node_id AND l.execution_id = w.execution_id AND l.node_id = w.node_id
      RETURNING w.execution_id, w.node_id, w.remaining`,
    [JSON.stringify(counts)],
  );
  return (rows as { execution_id: string; node_id: string; remaining: number }[]).filter((row) => row.remaining === 0);
}
