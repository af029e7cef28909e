import type { Queryable } from '../query';

/**
 * Whether the chunks table has its pgvector column (migration 014 adds it when the server
 * offers the extension). Asked once per database connection pool's lifetime by the caller.
 */
export async function hasVectorColumn(db: Queryable): Promise<boolean> {
  const found = await db.query({
    name: 'knowledge/has-vector-column',
    text: `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'knowledge_chunks' AND column_name = 'embedding_vector'`,
  });
  return (found.rowCount ?? 0) > 0;
}
