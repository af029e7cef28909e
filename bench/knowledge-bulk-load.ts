/**
 * Filling a large corpus faster than its workflows would: the same rows the ingest activity
 * writes (src/knowledge/ingest-stored-document.ts), made here without Temporal: each document
 * stored (insertDocument), cut by the same chunker, embedded by the corpus's embedder and
 * completed (completeDocument, one transaction per document), LOADERS documents at a time.
 * Only to have 50,000 chunks to search; ingest throughput is measured by knowledge-ingest.ts.
 */
import type { Pool } from 'pg';
import { chunkDocument } from '../src/knowledge/chunker';
import { createEmbedder } from '../src/knowledge/embedders';
import { prepareDocument } from '../src/knowledge/prepare-document';
import { vectorSupport } from '../src/knowledge/vector-support';
import { completeDocument } from '../src/store/knowledge/complete-document';
import type { CorpusRow } from '../src/store/knowledge/corpus-row';
import { insertDocument } from '../src/store/knowledge/insert-document';
import { inTransaction } from '../src/store/query';
import { benchDocument, documentText } from './knowledge-text';

/** One per core: the embedding is this process's CPU, the insert Postgres's. */
export const LOADERS = 2;

export interface BulkLoadMeasurement {
  documents: number;
  chunks: number;
  seconds: number;
  chunksPerSecond: number;
}

/** Loads documents `from..to-1` of corpus `seed` into `corpus`, recording their ids in `documentIds`. */
export async function bulkLoad(pool: Pool, corpus: CorpusRow, seed: number, from: number, to: number, paragraphsOf: (document: number) => number, documentIds: Map<number, string>): Promise<BulkLoadMeasurement> {
  const embedder = createEmbedder(corpus.embedder, undefined);
  const withVector = await vectorSupport(pool);
  let next = from;
  let chunks = 0;
  const loadOne = async (index: number): Promise<void> => {
    const document = benchDocument(seed, index, paragraphsOf(index));
    const prepared = prepareDocument({ name: document.name, text: documentText(document) });
    const texts = chunkDocument(prepared.name, prepared.kind, prepared.text);
    const embeddings = await embedder.embed(texts);
    const { document: stored, created } = await insertDocument(pool, { organizationId: corpus.organizationId, corpusId: corpus.id, name: prepared.name, kind: prepared.kind, content: prepared.text, contentHash: prepared.contentHash });
    if (!created) throw new Error(`knowledge bench: ${prepared.name} was already in ${corpus.name}`);
    const completed = await inTransaction(pool, (client) => completeDocument(client, stored.id, texts.map((text, at) => ({ text, embedding: embeddings[at]! })), withVector));
    if (!completed) throw new Error(`knowledge bench: ${prepared.name} in ${corpus.name} was not left processing`);
    documentIds.set(index, stored.id);
    chunks += texts.length;
  };
  const began = performance.now();
  await Promise.all(
    Array.from({ length: LOADERS }, async () => {
      while (next < to) await loadOne(next++);
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  return { documents: to - from, chunks, seconds, chunksPerSecond: chunks / seconds };
}
