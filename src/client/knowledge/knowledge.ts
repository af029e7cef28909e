/**
 * Knowledge corpora through the client SDK (DESIGN §12): ingest documents, wait for them,
 * search, and list corpora, documents and an execution's retrievals. Every call is scoped to
 * one organization: another organization's corpus is not found.
 */
import type { DocumentToIngest } from '../../knowledge/prepare-document';
import type { ProviderAccess } from '../../knowledge/provider-embedder';
import type { Retrieval, Retrieved } from '../../knowledge/retrieve';
import type { CorpusRow } from '../../store/knowledge/corpus-row';
import type { DocumentRow } from '../../store/knowledge/document-row';
import { listCorpora, selectCorpusByName } from '../../store/knowledge/select-corpora';
import { listDocuments, selectDocument } from '../../store/knowledge/select-documents';
import { selectRetrievalEvents, type RetrievalEventView } from '../../store/knowledge/select-retrieval-events';
import type { KnowledgeIngestResult } from '../../workflows/contracts/knowledge';
import type { ClientDeps } from '../deps';
import { NotFoundError } from '../errors';
import { withPostgres } from '../postgres-unavailable';
import { withTemporal } from '../unavailable';
import { ingestDocuments, type IngestAnswer, type IngestOptions } from './ingest';
import { searchKnowledge } from './search';

export type { IngestAnswer, IngestOptions } from './ingest';

export class Knowledge {
  constructor(private readonly deps: ClientDeps) {}

  /** Stores the documents (all checked first) and starts their ingest workflows; `wait` for them with waitForDocument. */
  ingest(organizationId: string, corpus: string, documents: readonly DocumentToIngest[], options: IngestOptions = {}): Promise<IngestAnswer> {
    return ingestDocuments(this.deps, organizationId, corpus, documents, options);
  }

  /** The document once its ingestion ended (ready or failed). */
  async waitForDocument(organizationId: string, documentId: string): Promise<DocumentRow> {
    const document = await this.document(organizationId, documentId);
    if (document.status === 'processing') {
      await withTemporal(() => this.deps.temporal.workflow.getHandle(document.workflowId).result() as Promise<KnowledgeIngestResult>);
    }
    return this.document(organizationId, documentId);
  }

  async document(organizationId: string, documentId: string): Promise<DocumentRow> {
    const document = await withPostgres(() => selectDocument(this.deps.pool, organizationId, documentId));
    if (!document) throw new NotFoundError('document', documentId);
    return document;
  }

  /** Top-K chunks by cosine; `access` is needed only for a corpus with a provider embedder. */
  search(retrieval: Retrieval, access?: ProviderAccess): Promise<Retrieved> {
    return searchKnowledge(this.deps.pool, retrieval, access);
  }

  corpora(organizationId: string): Promise<(CorpusRow & { documents: number; chunks: number })[]> {
    return withPostgres(() => listCorpora(this.deps.pool, organizationId));
  }

  async documents(organizationId: string, corpusName: string): Promise<{ corpus: CorpusRow; documents: DocumentRow[] }> {
    const corpus = await withPostgres(() => selectCorpusByName(this.deps.pool, organizationId, corpusName));
    if (!corpus) throw new NotFoundError('corpus', corpusName);
    return { corpus, documents: await withPostgres(() => listDocuments(this.deps.pool, organizationId, corpus.id)) };
  }

  /** The retrievals an execution's nodes made, in order (none for another organization's execution). */
  retrievalEvents(organizationId: string, executionId: string): Promise<RetrievalEventView[]> {
    return withPostgres(() => selectRetrievalEvents(this.deps.pool, organizationId, executionId));
  }
}
