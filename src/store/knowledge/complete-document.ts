import type { Queryable } from '../query';
import { refreshCorpusStatus } from './refresh-corpus-status';

/** Rows per INSERT: a chunk with 256 numbers is a few KiB of statement. */
const CHUNKS_PER_STATEMENT = 200;

export interface ChunkToStore {
  text: string;
  embedding: number[];
}

/** `kd_…-0007`: ids sort by document, then by place in it. */
export function chunkId(documentId: string, ordinal: number): string {
  return `${documentId}-${String(ordinal).padStart(4, '0')}`;
}

/**
 * Makes a document ready, in the caller's transaction: its chunks (any from an earlier
 * attempt replaced), its count, the documents of the same name it replaces removed (with
 * their chunks), the corpus status summed up again. False when the document is no longer
 * processing (a retried attempt after one that finished): nothing is written then.
 */
export async function completeDocument(db: Queryable, documentId: string, chunks: readonly ChunkToStore[], withVector: boolean): Promise<boolean> {
  const locked = await db.query<{ organizationId: string; corpusId: string; name: string }>({
    text: `SELECT organization_id AS "organizationId", corpus_id AS "corpusId", name FROM knowledge_documents WHERE id = $1 AND status = 'processing' FOR UPDATE`,
    values: [documentId],
  });
  const document = locked.rows[0];
  if (!document) return false;
  await db.query({ text: 'DELETE FROM knowledge_chunks WHERE document_id = $1', values: [documentId] });
  for (let start = 0; start < chunks.length; start += CHUNKS_PER_STATEMENT) {
    const slice = chunks.slice(start, start + CHUNKS_PER_STATEMENT);
    const ordinals = slice.map((_, index) => start + index);
    await db.query({
      text: `INSERT INTO knowledge_chunks (id, organization_id, corpus_id, document_id, ordinal, text, dimensions, embedding${withVector ? ', embedding_vector' : ''})
             SELECT chunk.id, $1, $2, $3, chunk.ordinal, chunk.text, cardinality(chunk.embedding::real[]), chunk.embedding::real[]${withVector ? ', chunk.embedding::real[]::vector' : ''}
             FROM unnest($4::text[], $5::int[], $6::text[], $7::text[]) AS chunk (id, ordinal, text, embedding)`,
      values: [document.organizationId, document.corpusId, documentId, ordinals.map((ordinal) => chunkId(documentId, ordinal)), ordinals, slice.map((chunk) => chunk.text), slice.map((chunk) => `{${chunk.embedding.join(',')}}`)],
    });
  }
  await db.query({ text: `UPDATE knowledge_documents SET status = 'ready', chunk_count = $2, ready_at = now(), updated_at = now() WHERE id = $1`, values: [documentId, chunks.length] });
  // Same name, other content: the new version replaces the ones before it.
  await db.query({ text: `DELETE FROM knowledge_documents WHERE corpus_id = $1 AND name = $2 AND id <> $3 AND status <> 'processing'`, values: [document.corpusId, document.name, documentId] });
  await refreshCorpusStatus(db, document.corpusId);
  return true;
}
