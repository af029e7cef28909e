/**
 * The executor's own tables, in a schema of its own (not the engine's migrations): graphs
 * stored once by content hash, executions, a step row per finished node, the counters of
 * inputs a join still waits for, and each running map's progress. No foreign keys: every
 * row is written by the executor in the transaction that needs it, and keys would only add
 * lookups to the hot path.
 */
import type { Db } from 'pg-boss';

export interface Tables {
  graphs: string;
  executions: string;
  steps: string;
  waits: string;
  maps: string;
}

export function tablesIn(schema: string): Tables {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`schema name ${JSON.stringify(schema)} must be a plain lower-case identifier`);
  return { graphs: `${schema}.graphs`, executions: `${schema}.executions`, steps: `${schema}.steps`, waits: `${schema}.waits`, maps: `${schema}.maps` };
}

export async function createTables(db: Db, schema: string): Promise<Tables> {
  const t = tablesIn(schema);
  await db.executeSql(`
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${t.graphs} (hash text PRIMARY KEY, document jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS ${t.executions} (
      id uuid PRIMARY KEY, graph_hash text NOT NULL, input jsonb, status text NOT NULL,
      pending_sinks int NOT NULL, output jsonb, error jsonb,
      started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz);
    CREATE TABLE IF NOT EXISTS ${t.steps} (
      execution_id uuid NOT NULL, node_id text NOT NULL, status text NOT NULL, output jsonb, error jsonb,
      started_at timestamptz, finished_at timestamptz, PRIMARY KEY (execution_id, node_id));
    CREATE TABLE IF NOT EXISTS ${t.waits} (
      execution_id uuid NOT NULL, node_id text NOT NULL, remaining int NOT NULL, PRIMARY KEY (execution_id, node_id));
    CREATE TABLE IF NOT EXISTS ${t.maps} (
      execution_id uuid NOT NULL, node_id text NOT NULL, input jsonb, items jsonb NOT NULL,
      total int NOT NULL, next int NOT NULL, done int NOT NULL, PRIMARY KEY (execution_id, node_id));
  `);
  return t;
}
