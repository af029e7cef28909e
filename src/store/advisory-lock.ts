import type { Queryable } from './query';

/**
 * Takes the transaction-scoped advisory lock named `name`, waiting for it: the lock is held
 * until the surrounding transaction ends, so `db` must be a client inside one.
 */
export async function lockForTransaction(db: Queryable, name: string): Promise<void> {
  await db.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: [name] });
}
