import pg from 'pg';

/** A Postgres timestamp (text or to_json's form) as the ISO string every reader gets. */
export const isoTimestamp = (value: string): string => new Date(value).toISOString();

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  // Timestamps come back as ISO strings rather than Date objects, so they serialize the same
  // everywhere (CLI JSON, API, tests).
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoTimestamp);
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
