/**
 * The ingest activity's work (DESIGN §12): a stored `processing` document is cut into
 * chunks, embedded with its corpus's embedder in batches (a heartbeat after each, so a long
 * provider call is not mistaken for a dead worker), and written with the document made ready
 * in one transaction. Running it again after it finished changes nothing.
 */
import type { Pool } from 'pg';
import { completeDocument } from '../store/knowledge/complete-document';
import { selectDocumentContent } from '../store/knowledge/select-documents';
import { inTransaction } from '../store/query';
import { selectCorpusById } from '../store/knowledge/select-corpora';
import { chunkDocument } from './chunker';
import { createEmbedder } from './embedders';
import type { ProviderAccess } from './provider-embedder';
import { vectorSupport } from './vector-support';

const EMBED_BATCH = 64;

export interface IngestResult {
  documentId: string;
  status: 'ready' | 'failed' | 'processing';
  chunks: number;
}

/** `access` gives the provider embedder its organization's key and the egress rules. */
export async function ingestStoredDocument(pool: Pool, documentId: string, access: (organizationId: string) => ProviderAccess | undefined, heartbeat: () => void, signal?: AbortSignal): Promise<IngestResult> {
  const document = await selectDocumentContent(pool, documentId);
  if (!document) throw new Error(`document ${documentId} is gone (its corpus was deleted)`);
  if (document.status !== 'processing') return { documentId, status: document.status, chunks: document.chunks ?? 0 };
  const corpus = await selectCorpusById(pool, document.corpusId);
  if (!corpus) throw new Error(`document ${documentId} has no corpus`);
  const texts = chunkDocument(document.name, document.kind, document.content);
  const embedder = createEmbedder(corpus.embedder, access(document.organizationId));
  const embeddings: number[][] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    embeddings.push(...(await embedder.embed(texts.slice(start, start + EMBED_BATCH), signal)));
    heartbeat();
  }
  const withVector = await vectorSupport(pool);
  const chunks = texts.map((text, index) => ({ text, embedding: embeddings[index]! }));
  const completed = await inTransaction(pool, (client) => completeDocument(client, documentId, chunks, withVector));
  if (completed) return { documentId, status: 'ready', chunks: chunks.length };
  // Another attempt finished first: report what it stored.
  const settled = await selectDocumentContent(pool, documentId);
  return { documentId, status: settled?.status ?? 'failed', chunks: settled?.chunks ?? 0 };
}
