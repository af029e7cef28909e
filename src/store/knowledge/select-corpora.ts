import type { Queryable } from '../query';
import { CORPUS_COLUMNS, type CorpusRow } from './corpus-row';

/** The organization's corpus of that name, if any. */
export async function selectCorpusByName(db: Queryable, organizationId: string, name: string): Promise<CorpusRow | undefined> {
  const found = await db.query<CorpusRow>({ name: 'knowledge/corpus-by-name', text: `SELECT ${CORPUS_COLUMNS} FROM knowledge_corpora WHERE organization_id = $1 AND name = $2`, values: [organizationId, name] });
  return found.rows[0];
}

/** The organization's corpora whose scope holds every key/value of `filter`, by name. */
export async function selectCorporaByScope(db: Queryable, organizationId: string, filter: Record<string, string>): Promise<CorpusRow[]> {
  const found = await db.query<CorpusRow>({ text: `SELECT ${CORPUS_COLUMNS} FROM knowledge_corpora WHERE organization_id = $1 AND scope @> $2::jsonb ORDER BY name`, values: [organizationId, JSON.stringify(filter)] });
  return found.rows;
}

/** All of the organization's corpora with their document and chunk counts, by name. */
export async function listCorpora(db: Queryable, organizationId: string): Promise<(CorpusRow & { documents: number; chunks: number })[]> {
  const found = await db.query<CorpusRow & { documents: number; chunks: number }>({
    text: `SELECT ${CORPUS_COLUMNS},
             (SELECT count(*)::int FROM knowledge_documents d WHERE d.corpus_id = knowledge_corpora.id) AS documents,
             (SELECT count(*)::int FROM knowledge_chunks c WHERE c.corpus_id = knowledge_corpora.id) AS chunks
           FROM knowledge_corpora WHERE organization_id = $1 ORDER BY name`,
    values: [organizationId],
  });
  return found.rows;
}

/** A corpus by id (the ingest activity's lookup: the document named it). */
export async function selectCorpusById(db: Queryable, corpusId: string): Promise<CorpusRow | undefined> {
  const found = await db.query<CorpusRow>({ text: `SELECT ${CORPUS_COLUMNS} FROM knowledge_corpora WHERE id = $1`, values: [corpusId] });
  return found.rows[0];
}
