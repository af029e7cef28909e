import type { Queryable } from './query';

/** The server's version string, e.g. "17.2" (for reports). */
export async function serverVersion(db: Queryable): Promise<string> {
  const found = await db.query<{ server_version: string }>({ text: 'SHOW server_version' });
  return found.rows[0].server_version;
}
