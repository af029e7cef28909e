/** Each running map's progress: its items, how many were released as jobs, how many are done. */
import type { Db } from 'pg-boss';
import type { Json } from '../../../src/workflows/graph/types';
import type { Tables } from './tables';

export async function insertMap(db: Db, t: Tables, row: { executionId: string; nodeId: string; input: Json; items: Json[]; released: number }): Promise<void> {
  await db.executeSql(`INSERT INTO ${t.maps} (execution_id, node_id, input, items, total, next, done) VALUES ($1, $2, $3, $4, $5, $6, 0)`, [
    row.executionId,
    row.nodeId,
    JSON.stringify(row.input),
    JSON.stringify(row.items),
    row.items.length,
    row.released,
  ]);
}

export interface MapProgress {
  execution_id: string;
  node_id: string;
  done: number;
  total: number;
  /** The first item released by this update, and the items released (one per item finished, while any are left). */
  from_index: number;
  released: Json[];
  /** The map's input, when items were released (their configs are rendered against it). */
  input: Json;
}

/** Counts finished items off and releases as many new ones; the row lock keeps concurrent finishers apart. */
export async function countOffItems(db: Db, t: Tables, counts: { execution_id: string; node_id: string; n: number }[]): Promise<MapProgress[]> {
  const { rows } = await db.executeSql(
    `WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(execution_id uuid, node_id text, n int)),
          cur AS (SELECT m.execution_id, m.node_id, m.next AS old_next, d.n FROM ${t.maps} m JOIN d USING (execution_id, node_id)
                   ORDER BY m.execution_id, m.node_id FOR UPDATE OF m)
     UPDATE ${t.maps} m SET done = m.done + cur.n, next = LEAST(m.total, cur.old_next + cur.n) FROM cur
      WHERE m.execution_id = cur.execution_id AND m.node_id = cur.node_id
      RETURNING m.execution_id, m.node_id, m.done, m.total, cur.old_next AS from_index,
        (SELECT coalesce(jsonb_agg(m.items -> i ORDER BY i), '[]'::jsonb) FROM generate_series(cur.old_next, m.next - 1) AS i) AS released,
        CASE WHEN m.next > cur.old_next THEN m.input END AS input`,
    [JSON.stringify(counts)],
  );
  return rows as MapProgress[];
}
