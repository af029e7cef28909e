import type { Queryable } from '../query';

/**
 * Sums a corpus's documents up into its status: processing while any is, degraded when one
 * failed, ready when all are, empty without any.
 */
export async function refreshCorpusStatus(db: Queryable, corpusId: string): Promise<void> {
  await db.query({
    name: 'knowledge/refresh-corpus-status',
    text: `UPDATE knowledge_corpora SET updated_at = now(), status = (
             SELECT CASE WHEN count(*) = 0 THEN 'empty'
                         WHEN bool_or(status = 'processing') THEN 'processing'
                         WHEN bool_or(status = 'failed') THEN 'degraded'
                         ELSE 'ready' END
             FROM knowledge_documents WHERE corpus_id = $1)
           WHERE id = $1`,
    values: [corpusId],
  });
}
