import type { Queryable, Statement } from '../query';

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

/** Scores are rounded to 6 places, so float noise in the last bits never reorders a tie (then the chunk id decides). */
const SCORE_PLACES = 6;

/**
 * A chunk's score: the cosine of its stored array and the query ($3), in float8, rounded.
 * Both paths score with this one expression (pgvector only picks candidates), so they give
 * the same numbers to the last digit; pgvector's own distance is float4 arithmetic, and NaN
 * for a zero vector, where this is 0.
 */
export function scoreExpression(vector: readonly number[]): string {
  const terms: string[] = [];
  vector.forEach((weight, index) => {
    // Our own numbers, never user text; PostgreSQL arrays count from 1.
    if (weight !== 0) terms.push(`c.embedding[${index + 1}]::float8 * ${String(weight)}::float8`);
  });
  // Only the query's non-zero dimensions can add to the sum: a hashed query has a handful of
  // them, so this reads a few array elements a chunk where unnest + sum over all of them was
  // an aggregate per row, some 20 times slower. A dense query (a provider's) keeps that form.
  if (terms.length > MAX_SPARSE_TERMS) return `round((SELECT sum(e::float8 * q) FROM unnest(c.embedding, $3::float8[]) AS t (e, q))::numeric, ${SCORE_PLACES})::float8`;
  return `round((${terms.length > 0 ? terms.join(' + ') : '0'})::numeric, ${SCORE_PLACES})::float8`;
}

/** Past this many non-zero query dimensions the score is summed by unnest (the statement would grow large). */
const MAX_SPARSE_TERMS = 256;

/** The chunks a search looks at: its organization's, of its corpora, of its vector's length. */
const FILTER = 'c.organization_id = $1 AND c.corpus_id = ANY ($2::text[]) AND c.dimensions = cardinality($3::float8[])';

/** The top-K chunks by cosine, exactly, from the arrays (any server). */
export async function searchChunksByArray(db: Queryable, search: ChunkSearch): Promise<ChunkMatch[]> {
  const found = await db.query<ChunkMatch>({
    text: `SELECT "chunkId", "documentId", "corpusId", text, score FROM (
             SELECT c.id AS "chunkId", c.document_id AS "documentId", c.corpus_id AS "corpusId", c.text, ${scoreExpression(search.vector)} AS score
             FROM knowledge_chunks c
             WHERE ${FILTER}
           ) scored
           WHERE score >= $4
           ORDER BY score DESC, "chunkId"
           LIMIT $5`,
    values: [search.organizationId, search.corpusIds, search.vector, search.minScore, search.topK],
  });
  return found.rows;
}

/** How many chunks a search looks at (its filter's rows). */
export async function countSearchedChunks(db: Queryable, search: ChunkSearch): Promise<number> {
  const found = await db.query<{ total: number }>({
    name: 'knowledge/count-searched-chunks',
    text: `SELECT count(*)::int AS total FROM knowledge_chunks c WHERE ${FILTER}`,
    values: [search.organizationId, search.corpusIds, search.vector],
  });
  return found.rows[0]!.total;
}

/** What one pgvector pass found, with what the caller needs to tell whether it is the exact answer (src/knowledge/vector-search.ts). */
export interface VectorCandidates {
  /** The top K of the candidates, scored and ordered exactly as searchChunksByArray does. */
  matches: ChunkMatch[];
  /** How many candidates the pass gave, at most `limit`. */
  candidates: number;
  limit: number;
  /** pgvector's cosine distance of the farthest candidate (a zero vector's counted as 1), null without any. */
  farthest: number | null;
}

export interface VectorPass {
  /** Candidates asked for. */
  limit: number;
  /**
   * Order by the indexed expression, so the planner may walk the HNSW index (approximate: it
   * can miss true neighbours, and drops rows its walk found that the filter refuses). Without
   * it, pgvector computes every distance of the filtered chunks: exact, and still far faster
   * than the array path's SQL arithmetic.
   */
  index: boolean;
}

/** Candidates asked for at first: a few times K, so near-ties around the K-th are among them. */
export function candidateLimit(topK: number): number {
  return Math.max(40, topK * 4);
}

/**
 * One pgvector pass: the nearest `limit` chunks by cosine distance, scored and ranked like
 * the array path, with how many there were and the distance of the farthest. Exported so a
 * test can EXPLAIN it as it runs.
 */
export function vectorSearchStatement(search: ChunkSearch, pass: VectorPass): Statement {
  // The index is on the expression embedding_vector::vector(256) (migration 014): only that
  // expression can use it. The exact pass puts a zero vector (pgvector's cosine distance:
  // NaN, sorted after everything) where its cosine of 0 puts it.
  const distance = pass.index && search.vector.length === 256 ? 'c.embedding_vector::vector(256) <=> $3::float8[]::vector(256)' : `coalesce(nullif(c.embedding_vector <=> $3::float8[]::vector, 'NaN'), 1)`;
  return {
    text: `WITH near AS MATERIALIZED (
             SELECT c.id, ${distance} AS distance FROM knowledge_chunks c
             WHERE c.organization_id = $1 AND c.corpus_id = ANY ($2::text[]) AND c.dimensions = ${search.vector.length}
             ORDER BY ${distance}
             LIMIT ${pass.limit}
           ), scored AS MATERIALIZED (
             SELECT c.id AS "chunkId", c.document_id AS "documentId", c.corpus_id AS "corpusId", c.text, ${scoreExpression(search.vector)} AS score
             FROM near JOIN knowledge_chunks c ON c.id = near.id
           ), seen AS (
             SELECT count(*)::int AS candidates, max(coalesce(nullif(distance, 'NaN'), 1)) AS farthest FROM near
           )
           SELECT seen.candidates, seen.farthest, best."chunkId", best."documentId", best."corpusId", best.text, best.score
           FROM seen LEFT JOIN LATERAL (SELECT * FROM scored WHERE score >= $4 ORDER BY score DESC, "chunkId" LIMIT $5) best ON TRUE
           ORDER BY best.score DESC, best."chunkId"`,
    values: [search.organizationId, search.corpusIds, search.vector, search.minScore, search.topK],
  };
}

/**
 * Runs one pass. For an index pass, ef_search is raised to the candidates asked for (its
 * default of 40 stops an HNSW walk at about 40 rows, fewer than a top 60 needs); the setting
 * is SET LOCAL: run this inside a transaction, or it is gone before the search starts.
 */
export async function searchChunksByVector(db: Queryable, search: ChunkSearch, pass: VectorPass): Promise<VectorCandidates> {
  if (pass.index) await db.query({ text: `SELECT set_config('hnsw.ef_search', $1, true)`, values: [String(Math.min(1000, Math.max(100, pass.limit)))] });
  const found = await db.query<{ candidates: number; farthest: number | null } & { [K in keyof ChunkMatch]: ChunkMatch[K] | null }>(vectorSearchStatement(search, pass));
  const first = found.rows[0]!;
  const matches = found.rows.filter((row): row is typeof row & ChunkMatch => row.chunkId !== null).map(({ chunkId, documentId, corpusId, text, score }) => ({ chunkId, documentId, corpusId, text, score }));
  return { matches, candidates: first.candidates, limit: pass.limit, farthest: first.farthest };
}
