/**
 * The `knowledge.retrieve` node's activity: top-K chunks from the organization's corpora
 * (src/knowledge/retrieve.ts), each attempt's retrieval recorded with its query, corpora,
 * chunk ids, scores and latency. Bad queries and unknown corpora fail without a retry.
 */
import { insertRetrievalEvent } from '../../store/knowledge/insert-retrieval-event';
import { retrieve } from '../../knowledge/retrieve';
import type { KnowledgeRetrieveConfig } from '../../workflows/graph/node-types/knowledge-retrieve';
import { providerAccess } from '../knowledge';
import { knowledgeFailure } from '../knowledge-failure';
import type { NodeWork } from '../node-activity';

export const runKnowledgeRetrieve: NodeWork<KnowledgeRetrieveConfig> = async (input, context, secrets, deps) => {
  const { corpus, query, topK, minScore } = input.config;
  let found;
  try {
    found = await retrieve(deps.pool, { organizationId: input.organizationId, corpus, query, topK, minScore }, providerAccess(deps, secrets), context.cancellationSignal);
  } catch (error) {
    throw knowledgeFailure(error, secrets);
  }
  await insertRetrievalEvent(deps.pool, {
    organizationId: input.organizationId,
    executionId: input.executionId,
    nodeId: input.nodeId,
    attempt: context.info.attempt,
    query,
    corpus,
    corpusIds: found.corpusIds,
    chunkIds: found.matches.map((match) => match.chunkId),
    scores: found.matches.map((match) => match.score),
    latencyMs: found.latencyMs,
  });
  return { matches: found.matches.map(({ chunkId, documentId, text, score }) => ({ chunkId, documentId, text, score })) };
};
