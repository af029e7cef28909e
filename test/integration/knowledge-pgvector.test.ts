/**
 * pgvector and arrays give the same results (DESIGN §12). The shared embedded Postgres has no
 * `vector` extension, so the pgvector side is PGlite (Postgres in WASM) with its pgvector
 * build, served on 127.0.0.1 by pglite-socket: the real `pg` pool, our migrations (whose DO
 * block then adds the column and the HNSW index) and our SQL run on it unchanged. The same
 * corpora are ingested into both by the ingest activity's own code, with the same ids, and
 * every search through src/knowledge/retrieve.ts must answer alike to the last digit: first
 * as the planner likes on small tables, then with the HNSW index forced, as on a large table.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EmbedderSpec } from '../../src/knowledge/embedder';
import { hashEmbed } from '../../src/knowledge/hash-embedder';
import { ingestStoredDocument } from '../../src/knowledge/ingest-stored-document';
import type { CorpusSelector } from '../../src/knowledge/names';
import { prepareDocument } from '../../src/knowledge/prepare-document';
import { retrieve } from '../../src/knowledge/retrieve';
import { candidatesSuffice, searchByVector } from '../../src/knowledge/vector-search';
import { vectorSupport } from '../../src/knowledge/vector-support';
import { insertDocument } from '../../src/store/knowledge/insert-document';
import { candidateLimit, countSearchedChunks, searchChunksByArray, searchChunksByVector, vectorSearchStatement, type ChunkSearch } from '../../src/store/knowledge/search-chunks';
import { upsertCorpus } from '../../src/store/knowledge/upsert-corpus';
import { migrate } from '../../src/store/migrate';
import { insertOrganization } from '../../src/store/organizations/insert-organization';
import { createPool } from '../../src/store/pool';
import { inTransaction } from '../../src/store/query';
import { createTestDatabase } from '../helpers/engine';

const ORG = 'default';
const OTHER = 'other-org';

let arrays: Pool;
let vectors: Pool;
let pglite: PGlite;
let socket: PGLiteSocketServer;

/** A small deterministic generator (LCG), so the corpora and queries are the same every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}
const VOCABULARY = [
  ...'refund invoice card payment euro dollar train platform ticket hour delay office policy team billing account password login report month week customer order parcel address warehouse driver route fuel tax receipt discount coupon plan seat license contract renewal support ticket outage server backup restore'.split(' '),
  ...Array.from({ length: 40 }, (_, index) => `term${index}`),
];
const random = generator(20260301);
const sentence = () => Array.from({ length: 6 + Math.floor(random.next() * 10) }, () => random.pick(VOCABULARY)).join(' ') + '.';
/** Paragraphs of 60-110 words: about one chunk each. */
const documentText = () => Array.from({ length: 12 + Math.floor(random.next() * 12) }, () => Array.from({ length: 6 + Math.floor(random.next() * 4) }, sentence).join(' ')).join('\n\n');
const GENERATED = Array.from({ length: 12 }, (_, index) => ({ name: `doc-${index}.txt`, text: documentText() }));
/** 120 sections that all score exactly 1/√2 against "refund": a tie far wider than the candidates asked for. */
const TIES = { name: 'ties.md', text: Array.from({ length: 120 }, (_, index) => `# tie${index}\n\nrefund`).join('\n\n') };
/** Chunks of stop words only embed to the zero vector: pgvector's cosine distance is NaN there, HNSW leaves them out. */
const STOPS = { name: 'stops.md', text: '# It is\n\nwhat it is.\n\n# Refunds\n\nA refund takes five days.\n\n# Was it\n\nit was.\n\n# Trains\n\nThe train leaves at nine.' };

const HASH: EmbedderSpec = { kind: 'hash', dimensions: 256 };
const WIDE: EmbedderSpec = { kind: 'hash', dimensions: 512 };
const CORPORA: { organizationId: string; name: string; scope: Record<string, string>; embedder: EmbedderSpec; documents: { name: string; text: string }[] }[] = [
  { organizationId: ORG, name: 'generated', scope: { kind: 'policy' }, embedder: HASH, documents: GENERATED },
  { organizationId: ORG, name: 'ties', scope: { kind: 'policy' }, embedder: HASH, documents: [TIES] },
  { organizationId: ORG, name: 'stops', scope: {}, embedder: HASH, documents: [STOPS] },
  { organizationId: ORG, name: 'wide', scope: { kind: 'policy' }, embedder: WIDE, documents: GENERATED.slice(0, 4) },
  // Another organization's copy: as near to every query, never in an answer of ORG.
  { organizationId: OTHER, name: 'generated', scope: { kind: 'policy' }, embedder: HASH, documents: GENERATED.slice(0, 6) },
];

/** Rows of `table` made on the arrays database, written as they are into the pgvector one (same ids). */
async function copyRows(table: 'knowledge_corpora' | 'knowledge_documents'): Promise<void> {
  const rows = (await arrays.query<{ row: unknown }>(`SELECT row_to_json(t) AS row FROM ${table} t`)).rows.map((found) => found.row);
  await vectors.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [JSON.stringify(rows)]);
}

async function startPgvector(): Promise<Pool> {
  pglite = await PGlite.create({ extensions: { vector } });
  // Room for a second client while the one before is still closing (migrate's, then the pool's).
  socket = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await socket.start();
  const url = `postgres://postgres:postgres@${socket.getServerConn()}/postgres`;
  await migrate(url);
  // One connection: PGlite is one backend session, which pglite-socket shares between clients.
  return createPool(url, 1);
}

beforeAll(async () => {
  const [arraysUrl, pool] = await Promise.all([createTestDatabase(), startPgvector()]);
  arrays = createPool(arraysUrl);
  vectors = pool;
  for (const db of [arrays, vectors]) await insertOrganization(db, OTHER, 'Other');
  const documentIds: string[] = [];
  for (const corpus of CORPORA) {
    const { corpus: row } = await upsertCorpus(arrays, corpus.organizationId, corpus.name, corpus.scope, corpus.embedder);
    for (const document of corpus.documents) {
      const prepared = prepareDocument(document);
      const stored = await insertDocument(arrays, { organizationId: corpus.organizationId, corpusId: row.id, name: prepared.name, kind: prepared.kind, content: prepared.text, contentHash: prepared.contentHash });
      documentIds.push(stored.document.id);
    }
  }
  await copyRows('knowledge_corpora');
  await copyRows('knowledge_documents');
  for (const db of [arrays, vectors]) {
    for (const documentId of documentIds) expect((await ingestStoredDocument(db, documentId, () => undefined, () => undefined)).status).toBe('ready');
  }
});
afterAll(async () => {
  await arrays?.end();
  await vectors?.end();
  await socket?.stop();
  await pglite?.close();
});

test('the migration gave the PGlite database pgvector, its column and the HNSW index; the embedded Postgres has arrays alone', async () => {
  expect(await vectorSupport(vectors)).toBe(true);
  expect(await vectorSupport(arrays)).toBe(false);
  const index = (await vectors.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname = 'knowledge_chunks_vector_256'")).rows;
  expect(index).toEqual([{ indexdef: 'CREATE INDEX knowledge_chunks_vector_256 ON public.knowledge_chunks USING hnsw (((embedding_vector)::vector(256)) vector_cosine_ops) WHERE (dimensions = 256)' }]);
  expect((await arrays.query("SELECT 1 FROM pg_indexes WHERE indexname = 'knowledge_chunks_vector_256'")).rowCount).toBe(0);
});

test('both hold the same chunks, and the pgvector column the same numbers as the array', async () => {
  const chunks = 'SELECT id, corpus_id, ordinal, text, dimensions, embedding FROM knowledge_chunks ORDER BY id';
  const [inArrays, inVectors] = await Promise.all([arrays.query(chunks), vectors.query(chunks)]);
  expect(inArrays.rows.length).toBeGreaterThan(400);
  expect(inVectors.rows).toEqual(inArrays.rows);
  const differing = await vectors.query('SELECT id FROM knowledge_chunks WHERE embedding_vector IS NULL OR embedding_vector::real[] <> embedding');
  expect(differing.rows).toEqual([]);
});

interface Case {
  organizationId: string;
  corpus: CorpusSelector;
  query: string;
  topK?: number;
  minScore?: number;
}

const queryRandom = generator(7);
const QUERIES = Array.from({ length: 14 }, () => Array.from({ length: 1 + Math.floor(queryRandom.next() * 4) }, () => queryRandom.pick(VOCABULARY)).join(' '));
const SHAPES: Pick<Case, 'topK' | 'minScore'>[] = [{}, { topK: 1 }, { topK: 20, minScore: 0.05 }, { topK: 100, minScore: -1 }];
const CASES: Case[] = [
  ...QUERIES.flatMap((query) => SHAPES.map((shape) => ({ organizationId: ORG, corpus: 'generated', query, ...shape }))),
  ...QUERIES.slice(0, 4).flatMap((query) => SHAPES.map((shape) => ({ organizationId: ORG, corpus: { scope: { kind: 'policy' } }, query, ...shape }))),
  ...QUERIES.slice(0, 3).flatMap((query) => SHAPES.map((shape) => ({ organizationId: ORG, corpus: 'wide', query, ...shape }))),
  ...QUERIES.slice(0, 3).flatMap((query) => SHAPES.map((shape) => ({ organizationId: OTHER, corpus: 'generated', query, ...shape }))),
  ...[{ topK: 10 }, { topK: 30, minScore: -1 }, { topK: 100 }].map((shape) => ({ organizationId: ORG, corpus: 'ties', query: 'refund', ...shape })),
  { organizationId: ORG, corpus: 'ties', query: 'refund tie7', topK: 5 },
  ...[{ topK: 10, minScore: -1 }, { topK: 2, minScore: -1 }, {}].map((shape) => ({ organizationId: ORG, corpus: 'stops', query: 'refund train', ...shape })),
];

/** Every case answered alike by retrieve() on both databases. */
async function expectSameAnswers(): Promise<void> {
  for (const search of CASES) {
    const [fromArrays, fromVectors] = [await retrieve(arrays, search, undefined), await retrieve(vectors, search, undefined)];
    expect(fromVectors.matches, JSON.stringify(search)).toEqual(fromArrays.matches);
    expect(fromVectors.corpusIds).toEqual(fromArrays.corpusIds);
  }
}

async function chunkSearchOf(search: Case): Promise<ChunkSearch> {
  const corpus = await vectors.query<{ id: string; dimensions: number }>("SELECT id, (embedder->>'dimensions')::int AS dimensions FROM knowledge_corpora WHERE organization_id = $1 AND name = $2", [search.organizationId, search.corpus]);
  const { id, dimensions } = corpus.rows[0]!;
  return { organizationId: search.organizationId, corpusIds: [id], vector: hashEmbed(search.query, dimensions), topK: search.topK ?? 5, minScore: search.minScore ?? 1e-6 };
}

const explain = async (statement: { text: string; values?: unknown[] }) =>
  (await vectors.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN ${statement.text}`, values: statement.values })).rows.map((row) => row['QUERY PLAN']).join('\n');

describe('the same answers', () => {
  test('with the plans the planner picks for these tables', async () => {
    expect(CASES.length).toBeGreaterThan(100);
    await expectSameAnswers();
  });

  test('a tie wider than the candidates: the first pass does not suffice, and the answer is the arrays\' all the same', async () => {
    const search = await chunkSearchOf({ organizationId: ORG, corpus: 'ties', query: 'refund', topK: 10 });
    const total = await countSearchedChunks(vectors, search);
    const first = await inTransaction(vectors, (client) => searchChunksByVector(client, search, { limit: candidateLimit(10), index: false }));
    expect(first.candidates).toBe(40);
    expect(candidatesSuffice(first, total, search)).toBe(false);
    expect(await searchByVector(vectors, search)).toEqual(await searchChunksByArray(arrays, search));
  });

  describe('with the HNSW index doing the search, as on a large table', () => {
    beforeAll(async () => {
      // The corpus index and a sequential scan are what the planner prefers for a few hundred rows.
      await vectors.query('DROP INDEX knowledge_chunks_corpus');
      await vectors.query('SET enable_seqscan = off');
    });

    test('an index pass walks the HNSW index; an exact pass never does', async () => {
      const search = await chunkSearchOf({ organizationId: ORG, corpus: 'generated', query: 'refund invoice' });
      expect(await explain(vectorSearchStatement(search, { limit: 40, index: true }))).toMatch(/Index Scan using knowledge_chunks_vector_256 on knowledge_chunks/);
      expect(await explain(vectorSearchStatement(search, { limit: 40, index: false }))).not.toMatch(/knowledge_chunks_vector_256/);
    });

    test('retrieval still answers as the arrays do: below 20,000 chunks it only makes exact passes', async () => {
      await expectSameAnswers();
    });

    test('ef_search reaches the walk: a top 60 gets at least 60 candidates from the index', async () => {
      const search = { ...(await chunkSearchOf({ organizationId: ORG, corpus: 'generated', query: 'invoice train platform' })), topK: 60 };
      const found = await inTransaction(vectors, (client) => searchChunksByVector(client, search, { limit: candidateLimit(60), index: true }));
      expect(await countSearchedChunks(vectors, search)).toBeGreaterThan(200);
      expect(found.candidates).toBeGreaterThanOrEqual(60);
    });

    test('a small corpus among nearer chunks of other corpora, two of its own zero vectors left out of the index: too few candidates, and the exact pass answers', async () => {
      const search = await chunkSearchOf({ organizationId: ORG, corpus: 'stops', query: 'refund invoice train', topK: 10, minScore: -1 });
      const found = await inTransaction(vectors, (client) => searchChunksByVector(client, search, { limit: candidateLimit(10), index: true }));
      expect(found.candidates).toBeLessThan(4);
      expect(candidatesSuffice(found, 4, search)).toBe(false);
      const answer = await searchByVector(vectors, search, 0);
      expect(answer.map((match) => match.score)).toEqual([expect.any(Number), expect.any(Number), 0, 0]);
      expect(answer).toEqual(await searchChunksByArray(arrays, search));
    });

    test('with index passes allowed for every search, answers are scored and ranked exactly, and those the index answered alone are nearly all exact', async () => {
      let byIndex = 0;
      let exactByIndex = 0;
      for (const search of CASES.filter((one) => typeof one.corpus === 'string')) {
        const chunkSearch = await chunkSearchOf(search);
        const [approximate, exact] = [await searchByVector(vectors, chunkSearch, 0), await searchChunksByArray(arrays, chunkSearch)];
        expect(approximate).toHaveLength(exact.length);
        const byId = new Map(exact.map((match) => [match.chunkId, match]));
        for (const match of approximate) if (byId.has(match.chunkId)) expect(match).toEqual(byId.get(match.chunkId));
        approximate.slice(1).forEach((match, index) => expect(approximate[index]!.score > match.score || (approximate[index]!.score === match.score && approximate[index]!.chunkId < match.chunkId)).toBe(true));
        // Whether the index pass answered alone (as searchByVector decides), and whether it was right.
        const total = await countSearchedChunks(vectors, chunkSearch);
        const pass = await inTransaction(vectors, (client) => searchChunksByVector(client, chunkSearch, { limit: candidateLimit(chunkSearch.topK), index: true }));
        const bar = pass.matches.length === chunkSearch.topK ? pass.matches.at(-1)!.score : chunkSearch.minScore;
        if (candidatesSuffice(pass, total, chunkSearch) && bar > 0) {
          byIndex += 1;
          expect(approximate).toEqual(pass.matches);
          if (JSON.stringify(approximate) === JSON.stringify(exact)) exactByIndex += 1;
        }
      }
      console.info(`answered by the HNSW walk alone: ${byIndex}, of which exact: ${exactByIndex}`);
      expect(byIndex).toBeGreaterThan(10);
      expect(exactByIndex / byIndex).toBeGreaterThan(0.9);
    });
  });
});
