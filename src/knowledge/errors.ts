/** Bad knowledge input (a document, a query, a corpus name): the message says what is wrong and is safe to show. */
export class KnowledgeInputError extends Error {
  override readonly name = 'KnowledgeInputError';
}

/** A corpus the organization does not have. */
export class CorpusNotFoundError extends Error {
  override readonly name = 'CorpusNotFoundError';
}
