/** The executions table: started, finished, failed, and read back by the run() fallback poll. */
import type { Db } from 'pg-boss';
import type { Json } from '../../../src/workflows/graph/types';
import type { NodeFailure } from '../nodes';
import type { Tables } from './tables';

/** Stores a graph document once; the caller remembers which hashes it stored. */
export async function storeGraph(db: Db, t: Tables, hash: string, document: Json): Promise<void> {
  await db.executeSql(`INSERT INTO ${t.graphs} (hash, document) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`, [hash, JSON.stringify(document)]);
}

export async function insertExecution(db: Db, t: Tables, row: { id: string; graphHash: string; input: Json; sinks: number }): Promise<void> {
  await db.executeSql(`INSERT INTO ${t.executions} (id, graph_hash, input, status, pending_sinks) VALUES ($1, $2, $3, 'running', $4)`, [row.id, row.graphHash, JSON.stringify(row.input), row.sinks]);
}

/** An execution's graph and input, for a worker that did not start it. */
export async function loadExecution(db: Db, t: Tables, id: string): Promise<{ document: Json; input: Json; status: string } | undefined> {
  const { rows } = await db.executeSql(`SELECT g.document, e.input, e.status FROM ${t.executions} e JOIN ${t.graphs} g ON g.hash = e.graph_hash WHERE e.id = $1`, [id]);
  return rows[0] as { document: Json; input: Json; status: string } | undefined;
}

/**
 * Counts sinks off; returns the executions none of whose sinks are left. A graph of one sink
 * never calls this: its sink finishing is the end.
 */
export async function countOffSinks(db: Db, t: Tables, counts: { id: string; n: number }[]): Promise<string[]> {
  const { rows } = await db.executeSql(
    `UPDATE ${t.executions} e SET pending_sinks = e.pending_sinks - d.n
       FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, n int) ORDER BY id) d
      WHERE e.id = d.id RETURNING e.id, e.pending_sinks`,
    [JSON.stringify(counts)],
  );
  return (rows as { id: string; pending_sinks: number }[]).filter((row) => row.pending_sinks === 0).map((row) => row.id);
}

export async function completeExecutions(db: Db, t: Tables, ended: { id: string; output: Json }[]): Promise<void> {
  await db.executeSql(
    `UPDATE ${t.executions} e SET status = 'completed', output = d.output, finished_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, output jsonb) WHERE e.id = d.id AND e.status = 'running'`,
    [JSON.stringify(ended)],
  );
}

/** Fails a running execution; returns false when it had already ended. */
export async function failExecution(db: Db, t: Tables, id: string, error: NodeFailure & { nodeId?: string }): Promise<boolean> {
  const { rows } = await db.executeSql(`UPDATE ${t.executions} SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status = 'running' RETURNING id`, [id, JSON.stringify(error)]);
  return rows.length > 0;
}

export interface EndedExecution {
  id: string;
  status: 'completed' | 'failed';
  output: Json;
  error: (NodeFailure & { nodeId?: string }) | null;
}

export async function readEnded(db: Db, t: Tables, ids: string[]): Promise<EndedExecution[]> {
  const { rows } = await db.executeSql(`SELECT id, status, output, error FROM ${t.executions} WHERE id = ANY($1::uuid[]) AND status <> 'running'`, [ids]);
  return rows as EndedExecution[];
}
