import { randomBytes } from 'node:crypto';
import type { EmbedderSpec } from '../../knowledge/embedder';
import type { Queryable } from '../query';
import { CORPUS_COLUMNS, type CorpusRow } from './corpus-row';

/**
 * The organization's corpus `name`, made with `scope` and `embedder` when it does not exist
 * yet (an existing corpus keeps its own: its chunks were embedded that way). Concurrent
 * first ingests of one name make one corpus.
 */
export async function upsertCorpus(db: Queryable, organizationId: string, name: string, scope: Record<string, string>, embedder: EmbedderSpec): Promise<{ corpus: CorpusRow; created: boolean }> {
  const inserted = await db.query<CorpusRow>({
    text: `INSERT INTO knowledge_corpora (id, organization_id, name, scope, embedder) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (organization_id, name) DO NOTHING
           RETURNING ${CORPUS_COLUMNS}`,
    values: [`kc_${randomBytes(8).toString('hex')}`, organizationId, name, JSON.stringify(scope), JSON.stringify(embedder)],
  });
  if (inserted.rows[0]) return { corpus: inserted.rows[0], created: true };
  const existing = await db.query<CorpusRow>({ text: `SELECT ${CORPUS_COLUMNS} FROM knowledge_corpora WHERE organization_id = $1 AND name = $2`, values: [organizationId, name] });
  return { corpus: existing.rows[0]!, created: false };
}
