/**
 * The `knowledge.ingest` node's activity: stores its document (src/client/knowledge/ingest.ts,
 * the same path as the API and the CLI), then waits for the document's knowledge-ingest
 * workflow, heartbeating, and answers `{documentId, chunks}`. A retried attempt finds the
 * same document (same content) and waits for the same workflow: nothing is ingested twice.
 */
import { ApplicationFailure, type Context } from '@temporalio/activity';
import { ingestDocuments } from '../../client/knowledge/ingest';
import { ClientMemory } from '../../client/client-memory';
import { InvalidRequestError } from '../../client/errors';
import { selectDocument } from '../../store/knowledge/select-documents';
import { KNOWLEDGE_INPUT_INVALID } from '../../workflows/contracts/knowledge';
import type { KnowledgeIngestConfig } from '../../workflows/graph/node-types/knowledge-ingest';
import { knowledgeFailure } from '../knowledge-failure';
import type { NodeWork } from '../node-activity';

const HEARTBEAT_EVERY_MS = 5000;

export const runKnowledgeIngest: NodeWork<KnowledgeIngestConfig> = async (input, context, secrets, deps) => {
  if (!deps.temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client to start ingest workflows with', 'KnowledgeIngestUnavailable');
  const { corpus, name, text, kind } = input.config;
  let documentId: string;
  let workflowId: string;
  try {
    const answer = await ingestDocuments({ temporal: deps.temporal.client, pool: deps.pool, taskQueue: deps.temporal.taskQueue, eagerStart: false, memory: new ClientMemory() }, input.organizationId, corpus, [{ name, text, kind }]);
    ({ id: documentId, workflowId } = answer.documents[0]!.document);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw ApplicationFailure.nonRetryable(error.problems[0]?.message ?? error.message, KNOWLEDGE_INPUT_INVALID);
    throw knowledgeFailure(error, secrets);
  }
  let document = await selectDocument(deps.pool, input.organizationId, documentId);
  if (document?.status === 'processing') {
    await waitHeartbeating(context, deps.temporal.client.workflow.getHandle(workflowId).result());
    document = await selectDocument(deps.pool, input.organizationId, documentId);
  }
  if (!document) throw ApplicationFailure.nonRetryable(`document "${name}" was deleted while it was ingested`, 'KnowledgeIngestFailed');
  if (document.status !== 'ready') throw ApplicationFailure.nonRetryable(`document "${name}" could not be ingested: ${document.error ?? 'its ingestion did not finish'}`, 'KnowledgeIngestFailed');
  return { documentId, chunks: document.chunks ?? 0 };
};

/** Awaits `done`, heartbeating meanwhile; a cancelled attempt stops waiting (the ingestion goes on by itself). */
async function waitHeartbeating(context: Context, done: Promise<unknown>): Promise<void> {
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    await Promise.race([done, context.cancelled]);
  } finally {
    clearInterval(beat);
  }
}
