/** Step rows: one per finished node (and map item), written in the transaction that finished it. */
import type { Db } from 'pg-boss';
import type { Json } from '../../../src/workflows/graph/types';
import type { NodeFailure } from '../nodes';
import type { Tables } from './tables';

export interface StepRow {
  execution_id: string;
  node_id: string;
  status: 'completed' | 'failed';
  output: Json;
  error: NodeFailure | null;
  started_at: string;
  finished_at: string;
}

export async function insertSteps(db: Db, t: Tables, rows: StepRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.executeSql(
    `INSERT INTO ${t.steps} (execution_id, node_id, status, output, error, started_at, finished_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS r(execution_id uuid, node_id text, status text, output jsonb, error jsonb, started_at timestamptz, finished_at timestamptz)`,
    [JSON.stringify(rows)],
  );
}

/** Outputs of finished nodes, keyed `${executionId} ${nodeId}`. */
export async function readOutputs(db: Db, t: Tables, keys: { execution_id: string; node_id: string }[]): Promise<Map<string, Json>> {
  const found = new Map<string, Json>();
  if (keys.length === 0) return found;
  const { rows } = await db.executeSql(
    `SELECT s.execution_id, s.node_id, s.output FROM jsonb_to_recordset($1::jsonb) AS k(execution_id uuid, node_id text)
       JOIN ${t.steps} s ON s.execution_id = k.execution_id AND s.node_id = k.node_id`,
    [JSON.stringify(keys)],
  );
  for (const row of rows as { execution_id: string; node_id: string; output: Json }[]) found.set(`${row.execution_id} ${row.node_id}`, row.output);
  return found;
}

/** A finished map's output: its items' outputs in item order. */
export async function readItemOutputs(db: Db, t: Tables, executionId: string, stepIds: string[]): Promise<Json[]> {
  const { rows } = await db.executeSql(
    `SELECT coalesce(jsonb_agg(s.output ORDER BY k.ord), '[]'::jsonb) AS outputs FROM unnest($2::text[]) WITH ORDINALITY AS k(node_id, ord)
       JOIN ${t.steps} s ON s.execution_id = $1 AND s.node_id = k.node_id`,
    [executionId, stepIds],
  );
  return (rows[0] as { outputs: Json[] }).outputs;
}
