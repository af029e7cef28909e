/**
 * Ingesting documents into a corpus (DESIGN §12), for the API, the CLI and the
 * knowledge.ingest node: every document is checked first and nothing is stored when one is
 * refused; then the corpus is found or made, each document stored once per content, and an
 * ingest workflow started for each new (or earlier failed) one. A document whose workflow
 * cannot be started is marked failed at once, never left processing with no job behind it.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_EMBEDDER, type EmbedderSpec } from '../../knowledge/embedder';
import { KnowledgeInputError } from '../../knowledge/errors';
import { corpusNameSchema, scopeSchema } from '../../knowledge/names';
import { prepareDocument, type DocumentToIngest, type PreparedDocument } from '../../knowledge/prepare-document';
import type { CorpusRow } from '../../store/knowledge/corpus-row';
import type { DocumentRow } from '../../store/knowledge/document-row';
import { failDocument } from '../../store/knowledge/fail-document';
import { insertDocument } from '../../store/knowledge/insert-document';
import { refreshCorpusStatus } from '../../store/knowledge/refresh-corpus-status';
import { upsertCorpus } from '../../store/knowledge/upsert-corpus';
import type { KnowledgeIngestArgs } from '../../workflows/contracts/knowledge';
import { KNOWLEDGE_INGEST_WORKFLOW } from '../../workflows/contracts/names';
import type { ClientDeps } from '../deps';
import { InvalidRequestError } from '../errors';
import { withPostgres } from '../postgres-unavailable';
import { asTemporalError } from '../unavailable';

export interface IngestOptions {
  /** For a corpus made by this call: its scope labels (an existing corpus keeps its own). */
  scope?: Record<string, string>;
  /** For a corpus made by this call: how it embeds (default: the hash embedder, 256 dimensions). */
  embedder?: EmbedderSpec;
}

export interface IngestedDocument {
  document: DocumentRow;
  /** False when the corpus already had this content (nothing new was stored). */
  created: boolean;
  /** An ingest workflow was started for it by this call. */
  started: boolean;
}

export interface IngestAnswer {
  corpus: CorpusRow;
  documents: IngestedDocument[];
}

/** Checks the corpus name, scope and every document; throws InvalidRequestError naming each problem. */
export function checkIngest(corpusName: string, documents: readonly DocumentToIngest[], options: IngestOptions): PreparedDocument[] {
  const problems: { path: string; message: string }[] = [];
  const name = corpusNameSchema.safeParse(corpusName);
  if (!name.success) problems.push({ path: '$.corpus', message: name.error.issues[0]!.message });
  if (options.scope !== undefined) {
    const scope = scopeSchema.safeParse(options.scope);
    if (!scope.success) problems.push({ path: '$.scope', message: scope.error.issues[0]!.message });
  }
  if (documents.length === 0) problems.push({ path: '$.documents', message: 'give at least one document' });
  const prepared: PreparedDocument[] = [];
  documents.forEach((document, index) => {
    try {
      prepared.push(prepareDocument(document));
    } catch (error) {
      if (!(error instanceof KnowledgeInputError)) throw error;
      problems.push({ path: `$.documents[${index}]`, message: error.message });
    }
  });
  if (problems.length > 0) throw new InvalidRequestError('nothing was ingested', problems);
  return prepared;
}

export async function ingestDocuments(deps: ClientDeps, organizationId: string, corpusName: string, documents: readonly DocumentToIngest[], options: IngestOptions = {}): Promise<IngestAnswer> {
  const prepared = checkIngest(corpusName, documents, options);
  const { corpus } = await withPostgres(() => upsertCorpus(deps.pool, organizationId, corpusName, options.scope ?? {}, options.embedder ?? DEFAULT_EMBEDDER));
  const answers: IngestedDocument[] = [];
  for (const document of prepared) {
    const store = () => withPostgres(() => insertDocument(deps.pool, { organizationId, corpusId: corpus.id, name: document.name, kind: document.kind, content: document.text, contentHash: document.contentHash }));
    let stored = await store();
    if (!stored.restart && stored.document.status === 'processing' && !(await ingestRunning(deps, stored.document.workflowId))) {
      // Its workflow is gone (terminated by hand, or never started): not left processing forever.
      await withPostgres(() => failDocument(deps.pool, stored.document.id, 'its ingest workflow ended without finishing it'));
      stored = await store();
    }
    if (stored.restart) await startIngest(deps, { organizationId, documentId: stored.document.id }, stored.document.workflowId);
    answers.push({ document: stored.document, created: stored.created, started: stored.restart });
  }
  await withPostgres(() => refreshCorpusStatus(deps.pool, corpus.id));
  return { corpus, documents: answers };
}

async function ingestRunning(deps: ClientDeps, workflowId: string): Promise<boolean> {
  try {
    return (await deps.temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw asTemporalError(error);
  }
}

async function startIngest(deps: ClientDeps, args: KnowledgeIngestArgs, workflowId: string): Promise<void> {
  try {
    await deps.temporal.workflow.start(KNOWLEDGE_INGEST_WORKFLOW, { taskQueue: deps.taskQueue, workflowId, args: [args] });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    const mapped = asTemporalError(error);
    // Not left processing with nothing to finish it: ingesting it again retries.
    await withPostgres(() => failDocument(deps.pool, args.documentId, 'its ingest workflow could not be started; ingest the document again'));
    throw mapped;
  }
}
