/**
 * Knowledge (DESIGN §12) on the real stack: documents ingested by their own workflow into
 * chunks and embeddings, idempotent by content, replaced by name; bad documents refused with
 * nothing stored; retrieval by cosine in a deterministic order, only within the organization;
 * and the knowledge.ingest / knowledge.retrieve nodes, whose retrievals are recorded.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidRequestError, NotFoundError } from '../../src/client/errors';
import { hashEmbed } from '../../src/knowledge/hash-embedder';
import { insertOrganization } from '../../src/store/organizations/insert-organization';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { run, statuses, stepOutput } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await insertOrganization(engine.pool, 'other-org', 'Other');
});
afterAll(async () => {
  await engine?.stop();
});

const ORG = 'default';
const count = async (table: string, where = 'TRUE', values: unknown[] = []): Promise<number> =>
  (await engine.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, values)).rows[0]!.n;

const GUIDE = `# Billing guide

Invoices are sent on the first day of every month. A late invoice gets a reminder after seven days.

## Refunds

Refunds go back to the card that paid. A refund takes five business days to arrive.

## Currencies

We bill in euros and dollars. Exchange rates are fixed when the invoice is made.`;

async function ingestReady(corpus: string, name: string, text: string, organizationId = ORG) {
  const answer = await engine.client.knowledge.ingest(organizationId, corpus, [{ name, text }]);
  const document = await engine.client.knowledge.waitForDocument(organizationId, answer.documents[0]!.document.id);
  return { answer, document };
}

describe('ingestion', () => {
  test('a Markdown document becomes ready with its chunks in a corpus made for it; its workflow is knowledge-ingest', async () => {
    const { answer, document } = await ingestReady('guide', 'billing.md', GUIDE);
    expect(answer.corpus).toMatchObject({ name: 'guide', organizationId: ORG, embedder: { kind: 'hash', dimensions: 256 } });
    expect(answer.documents[0]).toMatchObject({ created: true, started: true });
    expect(document).toMatchObject({ status: 'ready', kind: 'markdown', error: null });
    expect(document.chunks).toBe(3);
    const chunks = await engine.pool.query<{ id: string; ordinal: number; text: string; dimensions: number; embedding: number[] }>('SELECT id, ordinal, text, dimensions, embedding FROM knowledge_chunks WHERE document_id = $1 ORDER BY ordinal', [document.id]);
    expect(chunks.rows.map((row) => row.ordinal)).toEqual([0, 1, 2]);
    expect(chunks.rows[1]!.text).toMatch(/^## Refunds\n\nRefunds go back/);
    expect(chunks.rows[1]!.id).toBe(`${document.id}-0001`);
    // The stored vector is the deterministic embedder's, to float4 precision.
    const expected = hashEmbed(chunks.rows[1]!.text, 256);
    chunks.rows[1]!.embedding.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
    const corpus = (await engine.client.knowledge.corpora(ORG)).find((entry) => entry.name === 'guide');
    expect(corpus).toMatchObject({ status: 'ready', documents: 1, chunks: 3 });
    const described = await engine.temporal.workflow.getHandle(document.workflowId).describe();
    expect(described.type).toBe('knowledgeIngest');
    expect(described.status.name).toBe('COMPLETED');
  });

  test('the same content again is the same document: nothing is stored or started twice', async () => {
    const first = await ingestReady('again', 'a.txt', 'Some text about penguins and ice.');
    const second = await engine.client.knowledge.ingest(ORG, 'again', [{ name: 'a-copy.txt', text: 'Some text about penguins and ice.' }]);
    expect(second.documents[0]).toMatchObject({ created: false, started: false, document: { id: first.document.id, status: 'ready' } });
    expect(await count('knowledge_documents', 'corpus_id = $1', [first.answer.corpus.id])).toBe(1);
    expect(await count('knowledge_chunks', 'corpus_id = $1', [first.answer.corpus.id])).toBe(1);
  });

  test('a document of the same name with new content replaces the old one once ready', async () => {
    const old = await ingestReady('versions', 'notes.txt', 'The office opens at nine.');
    const next = await ingestReady('versions', 'notes.txt', 'The office opens at ten.');
    expect(next.document.id).not.toBe(old.document.id);
    const documents = await engine.client.knowledge.documents(ORG, 'versions');
    expect(documents.documents.map((document) => document.id)).toEqual([next.document.id]);
    expect(await count('knowledge_chunks', 'document_id = $1', [old.document.id])).toBe(0);
  });

  test('JSON is flattened to path: value lines', async () => {
    const { document } = await ingestReady('json', 'plans.json', JSON.stringify({ plans: [{ name: 'basic', price: 5 }, { name: 'pro', price: 20, 'extra seats': true }] }));
    const text = (await engine.pool.query<{ text: string }>('SELECT text FROM knowledge_chunks WHERE document_id = $1', [document.id])).rows[0]!.text;
    expect(text).toBe('$.plans[0].name: basic\n\n$.plans[0].price: 5\n\n$.plans[1].name: pro\n\n$.plans[1].price: 20\n\n$.plans[1]["extra seats"]: true');
  });

  test.each([
    ['malformed JSON', { name: 'bad.json', text: '{"a": ' }, /bad\.json" is not valid JSON/],
    ['an empty document', { name: 'empty.md', text: '  \n\n ' }, /"empty\.md" is empty/],
    ['an unsupported kind', { name: 'scan.pdf', text: 'whatever' }, /only text \(\.txt\), Markdown \(\.md\) and JSON \(\.json\)/],
    ['a document over 1 MiB', { name: 'big.txt', text: 'word '.repeat(220_000) }, /at most 1048576 are taken/],
    ['a NUL character', { name: 'bin.txt', text: 'a\u0000b' }, /not a text document/],
  ])('%s is refused with a clear error and nothing is stored, not even the corpus', async (_, document, message) => {
    const error = await engine.client.knowledge.ingest(ORG, 'refused', [{ name: 'fine.txt', text: 'a fine document' }, document]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).problems).toEqual([{ path: '$.documents[1]', message: expect.stringMatching(message) }]);
    expect(await count('knowledge_corpora', "name = 'refused'")).toBe(0);
    expect(await count('knowledge_documents', "name = 'fine.txt'")).toBe(0);
  });

  test('a bad corpus name is refused', async () => {
    await expect(engine.client.knowledge.ingest(ORG, 'no spaces', [{ name: 'a.txt', text: 'text' }])).rejects.toThrow(InvalidRequestError);
  });
});

describe('retrieval', () => {
  beforeAll(async () => {
    await ingestReady('search', 'billing.md', GUIDE);
    await ingestReady('search', 'travel.txt', 'Trains leave every hour.\n\nThe last train leaves at midnight.');
  });

  test('the best chunk first, by cosine of the hashed embeddings; at most topK; all above zero by default', async () => {
    const found = await engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'how long does a refund take', topK: 2 });
    // Only the refunds chunk shares a word that is not a stop word.
    expect(found.matches).toHaveLength(1);
    expect(found.matches[0]!.text).toMatch(/A refund takes five business days/);
    const two = await engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'invoice refund train euros', topK: 2 });
    expect(two.matches).toHaveLength(2);
    // The score is the cosine of the two deterministic vectors (to the 6 places it is rounded to).
    const query = hashEmbed('how long does a refund take', 256);
    const chunk = hashEmbed(found.matches[0]!.text, 256);
    expect(found.matches[0]!.score).toBeCloseTo(query.reduce((sum, value, index) => sum + value * chunk[index]!, 0), 5);
    const all = await engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'last train', topK: 100 });
    expect(all.matches.every((match) => match.score > 0)).toBe(true);
    expect(all.matches[0]!.text).toMatch(/last train leaves at midnight/);
  });

  test('ties are ordered by chunk id, and the same search answers the same', async () => {
    const search = { organizationId: ORG, corpus: 'search', query: 'invoice refund train euros', topK: 10, minScore: -1 };
    const first = await engine.client.knowledge.search(search);
    const second = await engine.client.knowledge.search(search);
    expect(second.matches).toEqual(first.matches);
    for (let index = 1; index < first.matches.length; index++) {
      const [before, after] = [first.matches[index - 1]!, first.matches[index]!];
      expect(before.score > after.score || (before.score === after.score && before.chunkId < after.chunkId)).toBe(true);
    }
  });

  test('minScore leaves out weaker matches', async () => {
    const all = await engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'refund invoice train', topK: 100 });
    expect(all.matches.length).toBeGreaterThan(2);
    const cut = all.matches[1]!.score;
    const found = await engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'refund invoice train', topK: 100, minScore: cut });
    expect(found.matches).toEqual(all.matches.filter((match) => match.score >= cut));
    expect(found.matches.length).toBeLessThan(all.matches.length);
  });

  test('a scope filter searches every corpus whose scope holds it', async () => {
    await engine.client.knowledge.ingest(ORG, 'team-a', [{ name: 'a.txt', text: 'Alpha team owns the refund process.' }], { scope: { team: 'a', kind: 'policy' } });
    const b = await engine.client.knowledge.ingest(ORG, 'team-b', [{ name: 'b.txt', text: 'Beta team owns refund escalations.' }], { scope: { team: 'b', kind: 'policy' } });
    await engine.client.knowledge.waitForDocument(ORG, b.documents[0]!.document.id);
    const a = (await engine.client.knowledge.documents(ORG, 'team-a')).documents[0]!;
    await engine.client.knowledge.waitForDocument(ORG, a.id);
    const both = await engine.client.knowledge.search({ organizationId: ORG, corpus: { scope: { kind: 'policy' } }, query: 'who owns refunds' });
    expect(new Set(both.matches.map((match) => match.documentId))).toEqual(new Set([a.id, b.documents[0]!.document.id]));
    const onlyB = await engine.client.knowledge.search({ organizationId: ORG, corpus: { scope: { team: 'b' } }, query: 'who owns refunds' });
    expect(onlyB.matches.map((match) => match.documentId)).toEqual([b.documents[0]!.document.id]);
  });

  test('empty queries, bad topK and unknown corpora get clear errors', async () => {
    await expect(engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: '   ' })).rejects.toThrow(/the query is empty/);
    await expect(engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: '?! the' })).rejects.toThrow(/no words to search for/);
    await expect(engine.client.knowledge.search({ organizationId: ORG, corpus: 'search', query: 'refund', topK: 0 })).rejects.toThrow(/topK is a whole number from 1 to 100/);
    await expect(engine.client.knowledge.search({ organizationId: ORG, corpus: 'nope', query: 'refund' })).rejects.toThrow(NotFoundError);
    await expect(engine.client.knowledge.search({ organizationId: ORG, corpus: { scope: { team: 'z' } }, query: 'refund' })).rejects.toThrow(NotFoundError);
  });

  test("another organization sees none of it: not the corpus, its documents or its chunks", async () => {
    await expect(engine.client.knowledge.search({ organizationId: 'other-org', corpus: 'search', query: 'refund' })).rejects.toThrow(NotFoundError);
    await expect(engine.client.knowledge.search({ organizationId: 'other-org', corpus: { scope: { kind: 'policy' } }, query: 'refund' })).rejects.toThrow(NotFoundError);
    await expect(engine.client.knowledge.documents('other-org', 'search')).rejects.toThrow(NotFoundError);
    expect(await engine.client.knowledge.corpora('other-org')).toEqual([]);
    const someDocument = (await engine.client.knowledge.documents(ORG, 'search')).documents[0]!;
    await expect(engine.client.knowledge.document('other-org', someDocument.id)).rejects.toThrow(NotFoundError);
    // Its own corpus of the same name is its own.
    await ingestReady('search', 'mine.txt', 'Refunds are not offered here.', 'other-org');
    const own = await engine.client.knowledge.search({ organizationId: 'other-org', corpus: 'search', query: 'refund', topK: 10 });
    expect(own.matches.map((match) => match.text)).toEqual(['Refunds are not offered here.']);
  });
});

describe('nodes', () => {
  test('a graph ingests a document, retrieves the top 3 chunks for a question and builds an answer; the retrieval is recorded', async () => {
    const view = await run(
      engine,
      {
        nodes: [
          { id: 'ingest', type: 'knowledge.ingest', config: { corpus: 'node-corpus', name: 'guide.md', text: { $expr: 'input.guide' } } },
          { id: 'retrieve', type: 'knowledge.retrieve', config: { corpus: 'node-corpus', query: { $expr: 'execution.input.question' }, topK: 3, minScore: -1 } },
          { id: 'answer', type: 'transform', config: { output: { $expr: '{"question": execution.input.question, "sources": nodes.retrieve.output.matches.map(m, m.chunkId), "best": nodes.retrieve.output.matches[0].text}' } } },
        ],
        edges: [
          { from: 'ingest', to: 'retrieve' },
          { from: 'retrieve', to: 'answer' },
        ],
      },
      { guide: GUIDE, question: 'when are invoices sent' },
    );
    expect(view.status, JSON.stringify(view.steps)).toBe('completed');
    expect(statuses(view)).toEqual({ ingest: 'completed', retrieve: 'completed', answer: 'completed' });
    const ingested = (await stepOutput(engine, view.executionId, 'ingest')) as { documentId: string; chunks: number };
    expect(ingested).toEqual({ documentId: expect.stringMatching(/^kd_/), chunks: 3 });
    const retrieved = (await stepOutput(engine, view.executionId, 'retrieve')) as { matches: { chunkId: string; documentId: string; text: string; score: number }[] };
    expect(retrieved.matches).toHaveLength(3);
    expect(retrieved.matches[0]).toEqual({ chunkId: `${ingested.documentId}-0000`, documentId: ingested.documentId, text: expect.stringMatching(/Invoices are sent on the first day/), score: expect.any(Number) });
    expect(view.output).toEqual({ question: 'when are invoices sent', sources: retrieved.matches.map((match) => match.chunkId), best: retrieved.matches[0]!.text });
    const events = await engine.client.knowledge.retrievalEvents(ORG, view.executionId);
    expect(events).toEqual([
      {
        nodeId: 'retrieve',
        attempt: 1,
        query: 'when are invoices sent',
        corpus: 'node-corpus',
        corpusIds: [expect.stringMatching(/^kc_/)],
        chunkIds: retrieved.matches.map((match) => match.chunkId),
        scores: retrieved.matches.map((match) => match.score),
        latencyMs: expect.any(Number),
        at: expect.any(String),
      },
    ]);
    expect(await engine.client.knowledge.retrievalEvents('other-org', view.executionId)).toEqual([]);
  });

  test('the ingest node is idempotent: a second run finds the same document', async () => {
    const graph = { nodes: [{ id: 'ingest', type: 'knowledge.ingest', config: { corpus: 'node-again', name: 'x.txt', text: 'Same words each time.' } }], edges: [] };
    const first = await run(engine, graph);
    const second = await run(engine, graph);
    expect(await stepOutput(engine, second.executionId, 'ingest')).toEqual(await stepOutput(engine, first.executionId, 'ingest'));
    expect(await count('knowledge_documents', "name = 'x.txt'")).toBe(1);
  });

  test('a document the node cannot ingest, and a retrieval of an unknown corpus, fail the node without retries, with clear errors', async () => {
    // One execution each: a failed node cancels its running siblings, and which fails first is a race.
    const alone = async (node: Record<string, unknown>) => (await run(engine, { nodes: [{ id: 'n', retry: { maxAttempts: 3 }, ...node }], edges: [] })).steps.n;
    const [bad, lost] = await Promise.all([
      alone({ type: 'knowledge.ingest', config: { corpus: 'node-bad', name: 'x.json', text: '{nope' } }),
      alone({ type: 'knowledge.retrieve', config: { corpus: 'no-such-corpus', query: 'anything' } }),
    ]);
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'KnowledgeInputInvalid', message: expect.stringMatching(/"x\.json" is not valid JSON/) } });
    expect(lost).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'CorpusNotFound', message: expect.stringMatching(/corpus "no-such-corpus" not found/) } });
    expect(await count('knowledge_corpora', "name = 'node-bad'")).toBe(0);
  });

  test('validation names a bad knowledge node config', () => {
    expect(() => engine.client.validate({ id: 'bad-k', version: 1, nodes: [{ id: 'r', type: 'knowledge.retrieve', config: { corpus: 'c', query: 'q', topK: 500 } }], edges: [] })).toThrow(InvalidRequestError);
  });
});
