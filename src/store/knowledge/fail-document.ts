import type { Queryable } from '../query';
import { refreshCorpusStatus } from './refresh-corpus-status';

/** Marks a processing document failed with a (sanitized) error; the corpus status follows. */
export async function failDocument(db: Queryable, documentId: string, error: string): Promise<void> {
  const failed = await db.query<{ corpusId: string }>({
    text: `UPDATE knowledge_documents SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'processing' RETURNING corpus_id AS "corpusId"`,
    values: [documentId, error],
  });
  const corpusId = failed.rows[0]?.corpusId;
  if (corpusId) await refreshCorpusStatus(db, corpusId);
}
