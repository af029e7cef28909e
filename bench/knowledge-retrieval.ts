/**
 * Retrieval latency over one corpus, one query at a time: `retrieve()` (src/knowledge/retrieve.ts,
 * topK 5) as a node or the API calls it, which searches by pgvector when the database has it and
 * by the arrays otherwise. Where pgvector is there, the arrays search is measured beside it through
 * the same steps retrieve() takes (find the corpus, embed the query, searchChunksByArray), since
 * retrieve() itself would never take it then. With two paths, each query is asked of both, in
 * alternating order, so a change in machine load hits both alike.
 *
 * A size's timed queries stop at `budgetSeconds` (per path) once MIN_QUERIES were asked: a full
 * scan of 50,000 chunks may take long enough that 200 of them would hold the machine for minutes.
 */
import type { Pool } from 'pg';
import { createEmbedder } from '../src/knowledge/embedders';
import { retrieve } from '../src/knowledge/retrieve';
import { chunkId } from '../src/store/knowledge/complete-document';
import type { ChunkMatch } from '../src/store/knowledge/search-chunks';
import { searchChunksByArray } from '../src/store/knowledge/search-chunks';
import { selectCorpusByName } from '../src/store/knowledge/select-corpora';
import type { BenchQuery } from './knowledge-text';
import { median, percentile } from './stats';

export const TOP_K = 5;
export const WARMUP_QUERIES = 5;
export const MIN_QUERIES = 20;
/** retrieve()'s own floor without a minScore: a match shares something with the query. */
const ABOVE_ZERO = 1e-6;

export type SearchPath = 'arrays' | 'pgvector';

export interface LatencyRow {
  path: SearchPath;
  /** What was timed: retrieve() itself, or its steps with the arrays search. */
  via: 'retrieve()' | 'corpus + embed + searchChunksByArray';
  queries: number;
  /** The budget ended the run before all queries were asked. */
  stoppedByBudget: boolean;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of queries whose source chunk (the one its words came from) was among the top K. */
  sourceInTopK: number;
}

export interface RetrievalTarget {
  pool: Pool;
  organizationId: string;
  corpus: string;
  /** Document index -> document id, to name each query's source chunk. */
  documentIds: ReadonlyMap<number, string>;
  /** The database has pgvector: retrieve() searches by it. */
  withVector: boolean;
}

type Search = (query: string) => Promise<ChunkMatch[]>;

function searches(target: RetrievalTarget): { path: SearchPath; via: LatencyRow['via']; search: Search }[] {
  const byRetrieve: Search = async (query) => (await retrieve(target.pool, { organizationId: target.organizationId, corpus: target.corpus, query, topK: TOP_K }, undefined)).matches;
  if (!target.withVector) return [{ path: 'arrays', via: 'retrieve()', search: byRetrieve }];
  const byArrays: Search = async (query) => {
    const corpus = await selectCorpusByName(target.pool, target.organizationId, target.corpus);
    if (!corpus) throw new Error(`knowledge bench: corpus ${target.corpus} is gone`);
    const [vector] = await createEmbedder(corpus.embedder, undefined).embed([query]);
    return searchChunksByArray(target.pool, { organizationId: target.organizationId, corpusIds: [corpus.id], vector: vector!, topK: TOP_K, minScore: ABOVE_ZERO });
  };
  return [
    { path: 'arrays', via: 'corpus + embed + searchChunksByArray', search: byArrays },
    { path: 'pgvector', via: 'retrieve()', search: byRetrieve },
  ];
}

export async function measureRetrieval(target: RetrievalTarget, queries: readonly BenchQuery[], budgetSeconds: number): Promise<LatencyRow[]> {
  const paths = searches(target);
  for (const query of queries.slice(0, WARMUP_QUERIES)) for (const { search } of paths) await search(query.text);
  const timed = queries.slice(WARMUP_QUERIES);
  const samples = paths.map(() => ({ ms: [] as number[], found: 0 }));
  const began = performance.now();
  let asked = 0;
  for (const [index, query] of timed.entries()) {
    if (asked >= MIN_QUERIES && performance.now() - began > budgetSeconds * 1000 * paths.length) break;
    const source = chunkId(target.documentIds.get(query.document)!, query.ordinal);
    const order = index % 2 === 0 ? paths.keys() : [...paths.keys()].reverse();
    for (const at of order) {
      const started = performance.now();
      const matches = await paths[at]!.search(query.text);
      samples[at]!.ms.push(performance.now() - started);
      if (matches.some((match) => match.chunkId === source)) samples[at]!.found++;
    }
    asked++;
  }
  return paths.map(({ path, via }, at) => {
    const { ms, found } = samples[at]!;
    return {
      path,
      via,
      queries: ms.length,
      stoppedByBudget: ms.length < timed.length,
      meanMs: ms.reduce((sum, value) => sum + value, 0) / ms.length,
      p50Ms: median(ms),
      p99Ms: percentile(ms, 99),
      maxMs: Math.max(...ms),
      sourceInTopK: found / ms.length,
    };
  });
}
