/**
 * Retrieval for the API and `wf knowledge search` (DESIGN §12), with the errors the client
 * speaks: a bad query is an InvalidRequestError, an unknown corpus a NotFoundError.
 */
import type { Pool } from 'pg';
import { CorpusNotFoundError, KnowledgeInputError } from '../../knowledge/errors';
import type { ProviderAccess } from '../../knowledge/provider-embedder';
import { retrieve, type Retrieval, type Retrieved } from '../../knowledge/retrieve';
import { InvalidRequestError, NotFoundError } from '../errors';
import { withPostgres } from '../postgres-unavailable';

export async function searchKnowledge(pool: Pool, retrieval: Retrieval, access?: ProviderAccess): Promise<Retrieved> {
  try {
    return await withPostgres(() => retrieve(pool, retrieval, access));
  } catch (error) {
    if (error instanceof KnowledgeInputError) throw new InvalidRequestError('the search cannot run', [{ path: pathOf(error.message), message: error.message }]);
    if (error instanceof CorpusNotFoundError) throw new NotFoundError('corpus', typeof retrieval.corpus === 'string' ? retrieval.corpus : JSON.stringify(retrieval.corpus.scope));
    throw error;
  }
}

/** The request field a retrieval error is about. */
function pathOf(message: string): string {
  if (message.startsWith('topK')) return '$.topK';
  if (message.startsWith('minScore')) return '$.minScore';
  if (message.startsWith('this corpus embeds')) return '$.corpus';
  return '$.query';
}
