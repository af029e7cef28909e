import pg from 'pg';

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  // Timestamps come back as ISO strings rather than Date objects, so they serialize the same
  // everywhere (CLI JSON, API, tests).
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
