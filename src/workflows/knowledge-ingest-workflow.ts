/**
 * One document's ingestion as its own durable job (DESIGN §12), id `knowledge-ingest-<doc>`:
 * the activity cuts, embeds and stores the document (retried with backoff: an embedder may be
 * down for a while); when it fails for good the document is marked failed with the sanitized
 * reason, and the corpus status follows. The workflow itself always completes and says how.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { KNOWLEDGE_NON_RETRYABLE, type KnowledgeIngestArgs, type KnowledgeIngestResult } from './contracts/knowledge';

type Activities = ReturnType<typeof createActivities>;

export async function knowledgeIngest(args: KnowledgeIngestArgs): Promise<KnowledgeIngestResult> {
  const { knowledgeIngestDocument } = proxyActivities<Activities>({
    startToCloseTimeout: '10m',
    heartbeatTimeout: '1m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: KNOWLEDGE_NON_RETRYABLE },
  });
  // Marking failed must happen even while Postgres is down: retried until it answers.
  const { knowledgeFailDocument } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });
  try {
    const done = await knowledgeIngestDocument(args.documentId);
    return { documentId: args.documentId, status: done.status === 'failed' ? 'failed' : 'ready', chunks: done.chunks };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    const reason = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : 'ingestion failed';
    await knowledgeFailDocument(args.documentId, reason);
    return { documentId: args.documentId, status: 'failed', chunks: 0, error: reason };
  }
}
