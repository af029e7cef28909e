import { z } from 'zod';
import { corpusSelectorSchema, MAX_QUERY_LENGTH, MAX_TOP_K } from '../../../knowledge/names';
import { templated, withSchemas, type ActivityNodeType } from './common';

/**
 * `knowledge.retrieve` (DESIGN §12): the top `topK` (default 5) chunks for `query` by cosine,
 * from `corpus` (a corpus name, or `{"scope": {...}}`: every corpus whose scope holds those
 * labels), only among the organization's corpora, at least `minScore` (default: above 0).
 * Output `{"matches": [{chunkId, documentId, text, score}]}`, by score then chunk id. Each
 * attempt is recorded in execution_retrieval_events. The activity:
 * src/activities/nodes/knowledge-retrieve.ts.
 */
function fields() {
  return { query: z.string().trim().min(1, 'the query is empty').max(MAX_QUERY_LENGTH), topK: z.number().int().min(1).max(MAX_TOP_K), minScore: z.number().min(-1).max(1) };
}

function renderedRetrieveConfig({ query, topK, minScore } = fields()) {
  return z.strictObject({ corpus: corpusSelectorSchema, query, topK: topK.optional(), minScore: minScore.optional() });
}

export type KnowledgeRetrieveConfig = z.infer<ReturnType<typeof renderedRetrieveConfig>>;

export const knowledgeRetrieve = withSchemas('knowledge.retrieve', { runtime: 'activity', compensable: false }, () => {
  const { query, topK, minScore } = fields();
  return {
    config: z.strictObject({ corpus: templated(corpusSelectorSchema), query: templated(query), topK: templated(topK).optional(), minScore: templated(minScore).optional() }),
    rendered: renderedRetrieveConfig({ query, topK, minScore }),
  };
}) satisfies ActivityNodeType<KnowledgeRetrieveConfig>;
