import { randomBytes } from 'node:crypto';
import type { DocumentKind } from '../../knowledge/document-kind';
import type { Queryable } from '../query';
import { DOCUMENT_COLUMNS, type DocumentRow } from './document-row';

export interface NewDocument {
  organizationId: string;
  corpusId: string;
  name: string;
  kind: DocumentKind;
  content: string;
  contentHash: string;
}

/**
 * Stores a document to ingest, once per content in a corpus: the same content again returns
 * the row already there (`created` false), so ingesting twice is one document. A failed one
 * is set back to processing, with a new workflow id, to be ingested again. `restart` says
 * whether the caller must start its ingest workflow.
 */
export async function insertDocument(db: Queryable, document: NewDocument): Promise<{ document: DocumentRow; created: boolean; restart: boolean }> {
  const id = `kd_${randomBytes(8).toString('hex')}`;
  const inserted = await db.query<DocumentRow>({
    text: `INSERT INTO knowledge_documents (id, organization_id, corpus_id, name, kind, content, content_hash, bytes, status, workflow_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, octet_length($6), 'processing', $8)
           ON CONFLICT (corpus_id, content_hash) DO NOTHING
           RETURNING ${DOCUMENT_COLUMNS}`,
    values: [id, document.organizationId, document.corpusId, document.name, document.kind, document.content, document.contentHash, `knowledge-ingest-${id}`],
  });
  if (inserted.rows[0]) return { document: inserted.rows[0], created: true, restart: true };
  const retried = await db.query<DocumentRow>({
    text: `UPDATE knowledge_documents SET status = 'processing', error = NULL, updated_at = now(), name = $3,
             workflow_id = 'knowledge-ingest-' || id || '-' || $4
           WHERE corpus_id = $1 AND content_hash = $2 AND status = 'failed'
           RETURNING ${DOCUMENT_COLUMNS}`,
    values: [document.corpusId, document.contentHash, document.name, randomBytes(3).toString('hex')],
  });
  if (retried.rows[0]) return { document: retried.rows[0], created: false, restart: true };
  const existing = await db.query<DocumentRow>({ text: `SELECT ${DOCUMENT_COLUMNS} FROM knowledge_documents WHERE corpus_id = $1 AND content_hash = $2`, values: [document.corpusId, document.contentHash] });
  return { document: existing.rows[0]!, created: false, restart: false };
}
