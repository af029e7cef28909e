import type { Queryable } from '../query';

export interface ChunkMatch {
  chunkId: string;
  documentId: string;
  corpusId: string;
  text: string;
  score: number;
}

export interface ChunkSearch {
  organizationId: string;
  corpusIds: readonly string[];
  /** L2-normalized: the score is the cosine. */
  vector: readonly number[];
  topK: number;
  minScore: number;
}

/**
 * Scores are rounded to 6 places before ordering, so the array and pgvector paths (whose
 * float arithmetic differs in the last bits) order ties alike: by score, then chunk id.
 */
const SCORE_PLACES = 6;

/** The top-K chunks by cosine, exactly, from the arrays (any server). */
export async function searchChunksByArray(db: Queryable, search: ChunkSearch): Promise<ChunkMatch[]> {
  const found = await db.query<ChunkMatch>({
    name: 'knowledge/search-array',
    text: `SELECT "chunkId", "documentId", "corpusId", text, score FROM (
             SELECT c.id AS "chunkId", c.document_id AS "documentId", c.corpus_id AS "corpusId", c.text,
                    round((SELECT sum(e::float8 * q) FROM unnest(c.embedding, $3::float8[]) AS t (e, q))::numeric, ${SCORE_PLACES})::float8 AS score
             FROM knowledge_chunks c
             WHERE c.organization_id = $1 AND c.corpus_id = ANY ($2::text[]) AND c.dimensions = cardinality($3::float8[])
           ) scored
           WHERE score >= $4
           ORDER BY score DESC, "chunkId"
           LIMIT $5`,
    values: [search.organizationId, search.corpusIds, search.vector, search.minScore, search.topK],
  });
  return found.rows;
}

/**
 * The same through pgvector: the HNSW index (256 dimensions) or an exact scan picks
 * candidates by cosine distance, a few times K of them, which are then ranked like the array
 * path ranks. ef_search is raised with K so the approximate index still finds the true top K.
 */
export async function searchChunksByVector(db: Queryable, search: ChunkSearch): Promise<ChunkMatch[]> {
  const dimensions = search.vector.length;
  const candidates = Math.max(40, search.topK * 4);
  const indexed = dimensions === 256 ? '::vector(256)' : '';
  await db.query({ text: `SELECT set_config('hnsw.ef_search', $1, true)`, values: [String(Math.min(1000, Math.max(100, candidates)))] });
  const found = await db.query<ChunkMatch>({
    text: `SELECT "chunkId", "documentId", "corpusId", text, score FROM (
             SELECT c.id AS "chunkId", c.document_id AS "documentId", c.corpus_id AS "corpusId", c.text,
                    round((1 - (c.embedding_vector${indexed} <=> $3::float8[]::vector${indexed}))::numeric, ${SCORE_PLACES})::float8 AS score
             FROM knowledge_chunks c
             WHERE c.organization_id = $1 AND c.corpus_id = ANY ($2::text[]) AND c.dimensions = ${dimensions}
             ORDER BY c.embedding_vector${indexed} <=> $3::float8[]::vector${indexed}
             LIMIT ${candidates}
           ) near
           WHERE score >= $4
           ORDER BY score DESC, "chunkId"
           LIMIT $5`,
    values: [search.organizationId, search.corpusIds, search.vector, search.minScore, search.topK],
  });
  return found.rows;
}
