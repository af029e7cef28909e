/**
 * The knowledge bench (DESIGN §12) on a running bench stack: for each corpus size, a corpus
 * of its own, its first documents ingested through the product path and timed
 * (knowledge-ingest.ts), the rest bulk-loaded (knowledge-bulk-load.ts), then retrieval
 * latency over it (knowledge-retrieval.ts). `npm run bench:knowledge` (bench/knowledge.ts)
 * runs only this; `npm run bench` runs it last unless BENCH_KNOWLEDGE=0.
 *
 * Settings (env): BENCH_KNOWLEDGE_CHUNKS (1000,50000: the sizes), BENCH_KNOWLEDGE_INGEST_CHUNKS
 * (5000: at most this many of a corpus's chunks through the ingest workflows), BENCH_KNOWLEDGE_QUERIES
 * (200 timed queries per size, after 5 warm-up), BENCH_KNOWLEDGE_QUERY_SECONDS (60: a size's
 * timed queries stop after this long per search path, once 20 were asked).
 */
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { vectorSupport } from '../src/knowledge/vector-support';
import { intEnv } from './env';
import { bulkLoad, LOADERS, type BulkLoadMeasurement } from './knowledge-bulk-load';
import { DOCUMENTS_PER_CALL, measureIngest, type IngestDeps, type IngestMeasurement } from './knowledge-ingest';
import { measureRetrieval, MIN_QUERIES, TOP_K, WARMUP_QUERIES, type LatencyRow } from './knowledge-retrieval';
import { benchDocument, benchQueries } from './knowledge-text';
import { KNOWLEDGE_CHUNKS, KNOWLEDGE_CHUNKS_PER_DOCUMENT, KNOWLEDGE_INGEST_CHUNKS } from './sizes';

export const KNOWLEDGE_ENV_KNOBS = ['BENCH_KNOWLEDGE', 'BENCH_KNOWLEDGE_CHUNKS', 'BENCH_KNOWLEDGE_INGEST_CHUNKS', 'BENCH_KNOWLEDGE_QUERIES', 'BENCH_KNOWLEDGE_QUERY_SECONDS'];

export interface KnowledgeBenchDeps extends IngestDeps {
  /** The client side's pool: retrieval and the bulk load run on it. */
  pool: Pool;
  progress: (message: string) => void;
}

export interface KnowledgeSizeResult {
  /** Chunks in the corpus. */
  chunks: number;
  documents: number;
  ingest: IngestMeasurement;
  /** The documents after the ingested ones; absent when all were ingested. */
  bulk?: BulkLoadMeasurement;
  retrieval: LatencyRow[];
}

export interface KnowledgeResults {
  settings: { sizes: number[]; ingestChunks: number; chunksPerDocument: number; documentsPerCall: number; loaders: number; queries: number; warmup: number; minQueries: number; budgetSeconds: number; topK: number };
  /** The database has pgvector (its column on knowledge_chunks). */
  withVector: boolean;
  chunkChars: { mean: number; min: number; max: number };
  sizes: KnowledgeSizeResult[];
  date: string;
  totalSeconds: number;
  /** The 1-minute load average when this part started and ended: how busy the machine was besides. */
  loadAverage: { start: number; end: number };
}

/** Chunks per document: full documents, the last one taking the remainder. */
const paragraphsOfCorpus = (chunks: number, documents: number) => (document: number) => (document < documents - 1 ? KNOWLEDGE_CHUNKS_PER_DOCUMENT : chunks - KNOWLEDGE_CHUNKS_PER_DOCUMENT * (documents - 1));

export async function runKnowledgeBench(deps: KnowledgeBenchDeps): Promise<KnowledgeResults> {
  const began = performance.now();
  const loadAtStart = loadavg()[0]!;
  const settings = {
    sizes: [...new Set(KNOWLEDGE_CHUNKS)],
    ingestChunks: KNOWLEDGE_INGEST_CHUNKS,
    chunksPerDocument: KNOWLEDGE_CHUNKS_PER_DOCUMENT,
    documentsPerCall: DOCUMENTS_PER_CALL,
    loaders: LOADERS,
    queries: intEnv('BENCH_KNOWLEDGE_QUERIES', 200),
    warmup: WARMUP_QUERIES,
    minQueries: MIN_QUERIES,
    budgetSeconds: intEnv('BENCH_KNOWLEDGE_QUERY_SECONDS', 60),
    topK: TOP_K,
  };
  const withVector = await vectorSupport(deps.pool);
  const sizes: KnowledgeSizeResult[] = [];
  for (const chunks of settings.sizes) {
    const corpus = `bench-${chunks}`;
    const documents = Math.ceil(chunks / KNOWLEDGE_CHUNKS_PER_DOCUMENT);
    const paragraphsOf = paragraphsOfCorpus(chunks, documents);
    const ingestDocuments = Math.max(1, Math.min(documents, Math.ceil(settings.ingestChunks / KNOWLEDGE_CHUNKS_PER_DOCUMENT)));
    deps.progress(`knowledge: ${corpus}: ingesting ${ingestDocuments} documents through knowledge.ingest and their workflows`);
    const ingested = await measureIngest(deps, corpus, chunks, ingestDocuments, paragraphsOf);
    const { measurement: ingest } = ingested;
    deps.progress(`  ${ingest.chunks} chunks in ${ingest.seconds.toFixed(1)} s: ${ingest.chunksPerSecond.toFixed(0)} chunks/s, up to ${ingest.maxConcurrentWorkflows} workflows at once`);
    let bulk: BulkLoadMeasurement | undefined;
    if (ingestDocuments < documents) {
      deps.progress(`knowledge: ${corpus}: bulk-loading documents ${ingestDocuments}-${documents - 1} (store functions directly, no workflow)`);
      bulk = await bulkLoad(deps.pool, ingested.corpus, chunks, ingestDocuments, documents, paragraphsOf, ingested.documentIds);
      deps.progress(`  ${bulk.chunks} chunks in ${bulk.seconds.toFixed(1)} s`);
    }
    deps.progress(`knowledge: ${corpus}: ${settings.warmup} warm-up + up to ${settings.queries} queries (top ${TOP_K}), ${withVector ? 'arrays and pgvector' : 'arrays (no pgvector)'}`);
    const queries = benchQueries(chunks, documents, paragraphsOf, settings.warmup + settings.queries);
    const retrieval = await measureRetrieval({ pool: deps.pool, organizationId: deps.organizationId, corpus, documentIds: ingested.documentIds, withVector }, queries, settings.budgetSeconds);
    for (const row of retrieval) deps.progress(`  ${row.path}: ${row.queries} queries, p50 ${row.p50Ms.toFixed(1)} ms, p99 ${row.p99Ms.toFixed(1)} ms`);
    sizes.push({ chunks, documents, ingest, bulk, retrieval });
  }
  return { settings, withVector, chunkChars: chunkChars(settings.sizes[0]!), sizes, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), totalSeconds: (performance.now() - began) / 1000, loadAverage: { start: loadAtStart, end: loadavg()[0]! } };
}

/** Chunk lengths over the first corpus's first documents (all corpora are made alike). */
function chunkChars(chunks: number): KnowledgeResults['chunkChars'] {
  const documents = Math.ceil(chunks / KNOWLEDGE_CHUNKS_PER_DOCUMENT);
  const paragraphsOf = paragraphsOfCorpus(chunks, documents);
  const lengths = Array.from({ length: Math.min(documents, 10) }, (_, index) => benchDocument(chunks, index, paragraphsOf(index)).paragraphs.map((text) => text.length)).flat();
  return { mean: lengths.reduce((sum, value) => sum + value, 0) / lengths.length, min: Math.min(...lengths), max: Math.max(...lengths) };
}
