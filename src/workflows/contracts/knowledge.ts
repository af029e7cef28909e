/** What the knowledge-ingest workflow takes and answers (DESIGN §12). */

export interface KnowledgeIngestArgs {
  organizationId: string;
  documentId: string;
}

export interface KnowledgeIngestResult {
  documentId: string;
  status: 'ready' | 'failed';
  chunks: number;
  /** Why it failed (sanitized), when it did. */
  error?: string;
}

/** Failure types of ingestion that retrying cannot fix. */
export const KNOWLEDGE_INPUT_INVALID = 'KnowledgeInputInvalid';
export const KNOWLEDGE_NON_RETRYABLE = [KNOWLEDGE_INPUT_INVALID, 'EmbedderRefused', 'EgressDenied', 'EmbedderAnswerInvalid', 'SecretNotFound', 'SecretsKeyMissing'];
