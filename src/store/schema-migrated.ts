import type { Queryable } from './query';

/** Whether the migrations have run on this database (their ledger table exists). */
export async function isMigrated(db: Queryable): Promise<boolean> {
  const found = await db.query<{ migrated: boolean }>({ text: "SELECT to_regclass('schema_migrations') IS NOT NULL AS migrated" });
  return found.rows[0].migrated;
}
