import type { EmbedderSpec } from '../../knowledge/embedder';

/** A corpus as the store returns it. */
export interface CorpusRow {
  id: string;
  organizationId: string;
  name: string;
  scope: Record<string, string>;
  embedder: EmbedderSpec;
  status: 'empty' | 'processing' | 'ready' | 'degraded';
  createdAt: string;
  updatedAt: string;
}

export const CORPUS_COLUMNS = `id, organization_id AS "organizationId", name, scope, embedder, status,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;
