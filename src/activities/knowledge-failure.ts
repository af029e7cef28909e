/**
 * Knowledge errors as activity failures: bad input and refusals are not retried, an embedder
 * that is down is; every message is sanitized and has the attempt's secret values redacted.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { sanitizeError } from '../common/sanitize';
import { CorpusNotFoundError, KnowledgeInputError } from '../knowledge/errors';
import { EmbedderError } from '../knowledge/provider-embedder';
import { KNOWLEDGE_INPUT_INVALID } from '../workflows/contracts/knowledge';
import type { SecretScope } from './secret-scope';

export function knowledgeFailure(error: unknown, secrets: SecretScope): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof KnowledgeInputError) return ApplicationFailure.nonRetryable(secrets.redactText(error.message), KNOWLEDGE_INPUT_INVALID);
  if (error instanceof CorpusNotFoundError) return ApplicationFailure.nonRetryable(secrets.redactText(error.message), 'CorpusNotFound');
  if (error instanceof EmbedderError) return ApplicationFailure.create({ type: error.type, message: secrets.redactText(error.message), nonRetryable: !error.retryable });
  const sanitized = sanitizeError(error);
  return ApplicationFailure.retryable(secrets.redactText(sanitized.message), sanitized.type);
}
