/**
 * The store layer's narrow database interface. Every SQL statement of the engine lives in
 * src/store/, one file per operation; each takes its `Queryable` first and its arguments
 * after, so the caller decides whether it runs on the pool or inside a transaction.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * One statement. A `name` makes each connection prepare it once and reuse the plan: given to
 * statements run often (mirror writes, key checks, status reads). One name, one text.
 */
export interface Statement {
  name?: string;
  text: string;
  values?: unknown[];
}

/** What store operations take: a pool or a client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(statement: Statement): Promise<{ rows: R[]; rowCount: number | null }>;
}

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no error listener (the pool keeps one only on idle clients): a
  // connection lost between two statements (PostgreSQL restarting) is emitted as an 'error'
  // event that would crash the process. Caught here, the next statement fails instead, and
  // the broken client is destroyed, not given back to the pool.
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
