/**
 * Retrieval through pgvector with the array path's answer (DESIGN §12: the same results with
 * or without the extension). pgvector picks candidates by its distance, in float4 and fast;
 * they are scored exactly like the array path, and an answer is kept only when the candidates
 * must hold the true top K: otherwise more are asked for, until they do.
 *
 * Searches over at most EXACT_SCAN_MAX_CHUNKS chunks are exact: pgvector computes every
 * distance (about a microsecond a chunk). Larger ones may walk the HNSW index, which is
 * approximate: a true neighbour its walk never reaches is missed, and nothing here can tell.
 */
import type { Pool } from 'pg';
import { inTransaction } from '../store/query';
import { candidateLimit, countSearchedChunks, searchChunksByVector, type ChunkMatch, type ChunkSearch, type VectorCandidates } from '../store/knowledge/search-chunks';

export const EXACT_SCAN_MAX_CHUNKS = 20_000;

/** Half a step of the 6 places scores are rounded to. */
const HALF_STEP = 5e-7;

export async function searchByVector(pool: Pool, search: ChunkSearch, exactScanMaxChunks = EXACT_SCAN_MAX_CHUNKS): Promise<ChunkMatch[]> {
  // One transaction: one snapshot for the count and the passes, and SET LOCAL of ef_search.
  return inTransaction(pool, async (client) => {
    const total = await countSearchedChunks(client, search);
    if (total === 0) return [];
    let limit = candidateLimit(search.topK);
    if (total > exactScanMaxChunks) {
      const found = await searchChunksByVector(client, search, { limit, index: true });
      // Not when a score of 0 would do: the index leaves zero vectors out, and they score 0.
      if (candidatesSuffice(found, total, search) && bar(found, search) > 0) return found.matches;
    }
    // Exact passes give min(limit, total) candidates: this ends, at the latest, once limit ≥ total.
    for (;;) {
      const found = await searchChunksByVector(client, search, { limit, index: false });
      if (candidatesSuffice(found, total, search)) return found.matches;
      limit *= 4;
    }
  });
}

/** Whether the candidates' best K are the best K of all `total` chunks the search looks at. */
export function candidatesSuffice(found: VectorCandidates, total: number, search: Pick<ChunkSearch, 'topK' | 'minScore' | 'vector'>): boolean {
  // Fewer than asked: the HNSW walk dropped rows the filter refused (nearer chunks of other
  // corpora or organizations) or never had them (it leaves zero vectors out).
  if (found.candidates < Math.min(found.limit, total)) return false;
  if (found.candidates === total || found.farthest === null) return true;
  return reach(found.farthest, search.vector.length) < bar(found, search);
}

/**
 * The most a chunk beyond the candidates can score: those are no nearer than the farthest
 * by pgvector's distance, which is off from the true cosine by at most (2n + 1)·2⁻²⁴ (float4
 * sums of n products and of the two norms, and the query rounded to float4), and then the
 * score is rounded. Exactly 1 is exactly orthogonal: sparse vectors (the hash embedder's)
 * sharing no dimension multiply to exact zeros, so a chunk that far scores 0.
 */
function reach(farthest: number, dimensions: number): number {
  return farthest === 1 ? 0 : 1 - farthest + (2 * dimensions + 1) * 2 ** -24 + HALF_STEP;
}

/** The score a chunk beyond the candidates would have to reach: the K-th match's, or minScore while fewer than K passed. */
function bar(found: VectorCandidates, search: Pick<ChunkSearch, 'topK' | 'minScore'>): number {
  return found.matches.length === search.topK ? found.matches[search.topK - 1]!.score : search.minScore;
}
