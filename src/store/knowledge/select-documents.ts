import type { Queryable } from '../query';
import { DOCUMENT_COLUMNS, type DocumentRow } from './document-row';

/** A document of the organization, by id. */
export async function selectDocument(db: Queryable, organizationId: string, documentId: string): Promise<DocumentRow | undefined> {
  const found = await db.query<DocumentRow>({ name: 'knowledge/document', text: `SELECT ${DOCUMENT_COLUMNS} FROM knowledge_documents WHERE organization_id = $1 AND id = $2`, values: [organizationId, documentId] });
  return found.rows[0];
}

/** What the ingest activity reads: the document with its content. */
export async function selectDocumentContent(db: Queryable, documentId: string): Promise<(DocumentRow & { content: string }) | undefined> {
  const found = await db.query<DocumentRow & { content: string }>({ text: `SELECT ${DOCUMENT_COLUMNS}, content FROM knowledge_documents WHERE id = $1`, values: [documentId] });
  return found.rows[0];
}

/** A corpus's documents, newest first. */
export async function listDocuments(db: Queryable, organizationId: string, corpusId: string): Promise<DocumentRow[]> {
  const found = await db.query<DocumentRow>({ text: `SELECT ${DOCUMENT_COLUMNS} FROM knowledge_documents WHERE organization_id = $1 AND corpus_id = $2 ORDER BY created_at DESC, id`, values: [organizationId, corpusId] });
  return found.rows;
}
