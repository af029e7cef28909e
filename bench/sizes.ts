/** The bench's sizes (the large shapes, the knowledge corpora), which the environment may change to shorten a run (bench/run.ts lists the knobs). */
import { intEnv, intListEnv } from './env';

/** BENCH_WIDE_WIDTH: the wide fan-out (1,000). */
export const WIDE_WIDTH = intEnv('BENCH_WIDE_WIDTH', 1000, 2);
/** BENCH_LAYERED_NODES: the layered graph's size (10,000), in layers of LAYERED_WIDTH. */
export const LAYERED_NODES = intEnv('BENCH_LAYERED_NODES', 10_000, 10);
export const LAYERED_WIDTH = 100;
/** BENCH_MAP_ITEMS: the map's items (1,000), MAP_CONCURRENCY at a time. */
export const MAP_ITEMS = intEnv('BENCH_MAP_ITEMS', 1000, 1);
export const MAP_CONCURRENCY = 50;
/** BENCH_KNOWLEDGE_CHUNKS: the corpus sizes retrieval is measured at (1,000 and 50,000 chunks), one corpus each. */
export const KNOWLEDGE_CHUNKS = intListEnv('BENCH_KNOWLEDGE_CHUNKS', [1000, 50_000]);
/**
 * BENCH_KNOWLEDGE_INGEST_CHUNKS: of each corpus, at most this many chunks (5,000) go through the
 * real ingest path (knowledge.ingest and its workflows), measured; the rest is bulk-loaded.
 */
export const KNOWLEDGE_INGEST_CHUNKS = intEnv('BENCH_KNOWLEDGE_INGEST_CHUNKS', 5000);
/** Paragraphs, so chunks, per bench document (bench/knowledge-text.ts makes one chunk of each). */
export const KNOWLEDGE_CHUNKS_PER_DOCUMENT = 100;
