/**
 * Top-K retrieval (DESIGN §12) over the organization's corpora only: one corpus by name, or
 * all whose scope holds a filter. The query is embedded once per embedder among them, each
 * group searched (pgvector where the database has it, arrays otherwise: the same answer), and
 * the matches merged by score, then chunk id, so equal inputs always give equal output.
 */
import type { Pool } from 'pg';
import type { CorpusRow } from '../store/knowledge/corpus-row';
import { searchChunksByArray, type ChunkMatch } from '../store/knowledge/search-chunks';
import { selectCorporaByScope, selectCorpusByName } from '../store/knowledge/select-corpora';
import { embedderKey } from './embedder';
import { createEmbedder } from './embedders';
import { CorpusNotFoundError, KnowledgeInputError } from './errors';
import { tokens } from './hash-embedder';
import { MAX_QUERY_LENGTH, MAX_TOP_K, type CorpusSelector } from './names';
import type { ProviderAccess } from './provider-embedder';
import { searchByVector } from './vector-search';
import { vectorSupport } from './vector-support';

export const DEFAULT_TOP_K = 5;
/** Without a minScore, a match must share something with the query (a score above zero). */
const ABOVE_ZERO = 1e-6;

export interface Retrieval {
  organizationId: string;
  corpus: CorpusSelector;
  query: string;
  topK?: number;
  minScore?: number;
}

export interface Retrieved {
  matches: ChunkMatch[];
  corpusIds: string[];
  latencyMs: number;
}

export async function retrieve(pool: Pool, retrieval: Retrieval, access: ProviderAccess | undefined, signal?: AbortSignal): Promise<Retrieved> {
  const started = performance.now();
  const query = retrieval.query.trim();
  if (query.length === 0) throw new KnowledgeInputError('the query is empty');
  if (query.length > MAX_QUERY_LENGTH) throw new KnowledgeInputError(`the query has ${query.length} characters, at most ${MAX_QUERY_LENGTH} are taken`);
  const topK = retrieval.topK ?? DEFAULT_TOP_K;
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new KnowledgeInputError(`topK is a whole number from 1 to ${MAX_TOP_K}`);
  const minScore = retrieval.minScore ?? ABOVE_ZERO;
  if (!Number.isFinite(minScore) || minScore < -1 || minScore > 1) throw new KnowledgeInputError('minScore is a number from -1 to 1 (a cosine)');
  const corpora = await corporaOf(pool, retrieval.organizationId, retrieval.corpus);
  const withVector = await vectorSupport(pool);
  const groups = new Map<string, CorpusRow[]>();
  for (const corpus of corpora) groups.set(embedderKey(corpus.embedder), [...(groups.get(embedderKey(corpus.embedder)) ?? []), corpus]);
  const found: ChunkMatch[] = [];
  for (const group of groups.values()) {
    const embedder = createEmbedder(group[0]!.embedder, access);
    if (group[0]!.embedder.kind === 'hash' && tokens(query).length === 0) throw new KnowledgeInputError('the query has no words to search for');
    const [vector] = await embedder.embed([query], signal);
    const search = { organizationId: retrieval.organizationId, corpusIds: group.map((corpus) => corpus.id), vector: vector!, topK, minScore };
    found.push(...(withVector ? await searchByVector(pool, search) : await searchChunksByArray(pool, search)));
  }
  found.sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0));
  return { matches: found.slice(0, topK), corpusIds: corpora.map((corpus) => corpus.id), latencyMs: Math.round((performance.now() - started) * 100) / 100 };
}

async function corporaOf(pool: Pool, organizationId: string, selector: CorpusSelector): Promise<CorpusRow[]> {
  if (typeof selector === 'string') {
    const corpus = await selectCorpusByName(pool, organizationId, selector);
    if (!corpus) throw new CorpusNotFoundError(`corpus "${selector}" not found (wf knowledge ingest ${selector} FILE makes it)`);
    return [corpus];
  }
  const corpora = await selectCorporaByScope(pool, organizationId, selector.scope);
  if (corpora.length === 0) throw new CorpusNotFoundError(`no corpus has the scope ${JSON.stringify(selector.scope)}`);
  return corpora;
}
