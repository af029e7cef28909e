import type { DocumentKind } from '../../knowledge/document-kind';

export type DocumentStatus = 'processing' | 'ready' | 'failed';

/** A document as the store returns it (its content only where asked for). */
export interface DocumentRow {
  id: string;
  organizationId: string;
  corpusId: string;
  name: string;
  kind: DocumentKind;
  contentHash: string;
  bytes: number;
  status: DocumentStatus;
  error: string | null;
  chunks: number | null;
  workflowId: string;
  createdAt: string;
  readyAt: string | null;
}

export const DOCUMENT_COLUMNS = `id, organization_id AS "organizationId", corpus_id AS "corpusId", name, kind, content_hash AS "contentHash", bytes,
  status, error, chunk_count AS chunks, workflow_id AS "workflowId",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(ready_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "readyAt"`;
