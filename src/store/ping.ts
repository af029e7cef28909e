import type { Queryable } from './query';

/** Resolves when PostgreSQL answers (health checks). */
export async function ping(db: Queryable): Promise<void> {
  await db.query({ name: 'ping', text: 'SELECT 1' });
}
