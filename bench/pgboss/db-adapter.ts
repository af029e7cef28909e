/**
 * pg-boss on a pg.Pool we own (so the bench counts its SQL with ours), with transactions
 * pg-boss can open for a transactional worker. A transaction also runs callbacks after it
 * commits: workers are woken and runs settled only once the rows they will read exist.
 */
import type pg from 'pg';
import type { Db as IDatabase } from 'pg-boss';

/** pg-boss's transaction handle (its type is not exported). */
export interface TransactionHandle {
  db: IDatabase;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const afterCommitHooks = new WeakMap<IDatabase, (() => void)[]>();

/** Run `hook` once the transaction `db` belongs to has committed; never if it rolls back. */
export function afterCommit(db: IDatabase, hook: () => void): void {
  const hooks = afterCommitHooks.get(db);
  if (!hooks) throw new Error('afterCommit needs a transaction opened by the pool adapter');
  hooks.push(hook);
}

export function poolAdapter(pool: pg.Pool): IDatabase & { beginTransaction(): Promise<TransactionHandle> } {
  return {
    executeSql: (text, values) => pool.query(text, values),
    async beginTransaction() {
      const client = await pool.connect();
      let released = false;
      const release = (error?: Error): void => {
        if (released) return;
        released = true;
        client.release(error);
      };
      try {
        await client.query('BEGIN');
      } catch (error) {
        release(error as Error);
        throw error;
      }
      const db: IDatabase = {
        // A statement after settling would run on a client the pool has handed to someone else.
        executeSql: (text, values) => (released ? Promise.reject(new Error('transaction already settled')) : client.query(text, values)),
      };
      const hooks: (() => void)[] = [];
      afterCommitHooks.set(db, hooks);
      return {
        db,
        async commit() {
          if (released) throw new Error('transaction already settled');
          try {
            await client.query('COMMIT');
          } catch (error) {
            release(error as Error);
            throw error;
          }
          release();
          for (const hook of hooks) hook();
        },
        async rollback() {
          if (released) return;
          try {
            await client.query('ROLLBACK');
            release();
          } catch (error) {
            release(error as Error);
          }
        },
      };
    },
  };
}

/** Run `work` in a transaction of the adapter, committing when it resolves. */
export async function inTransaction<T>(adapter: ReturnType<typeof poolAdapter>, work: (db: IDatabase) => Promise<T>): Promise<T> {
  const transaction = await adapter.beginTransaction();
  try {
    const result = await work(transaction.db);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction.rollback();
    throw error;
  }
}
