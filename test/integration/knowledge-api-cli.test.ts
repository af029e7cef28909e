/**
 * Knowledge through its two doors (DESIGN §12): /api/v1/knowledge (roles, tenancy, bad input
 * with JSON paths, nothing stored when refused) and `wf knowledge ingest | search | corpora |
 * documents` as a user runs them (bin/wf.js against the test stack).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import type { Role } from '../../src/common/keys';
import { auth } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { runWf } from '../helpers/wf-cli';

let engine: TestEngine;
let app: FastifyInstance;
let dir: string;
beforeAll(async () => {
  engine = await startTestEngine();
  app = await buildApi({ client: engine.client, pool: engine.pool });
  await app.ready();
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme'), ('rival', 'rival')");
  dir = mkdtempSync(join(tmpdir(), 'wf-knowledge-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app?.close();
  await engine?.stop();
});

const key = async (organizationId: string, role: Role): Promise<string> => (await createApiKey(engine.pool, organizationId, role)).apiKey;
const wf = (args: string[], org = 'acme') => runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_ORG: org });

async function readyDocument(apiKey: string, id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const answer = await app.inject({ method: 'GET', url: `/api/v1/knowledge/documents/${id}`, headers: auth(apiKey) });
    const document = answer.json<Record<string, unknown>>();
    if (document.status !== 'processing') return document;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('HTTP API', () => {
  test('an operator ingests (202), the document gets ready, a viewer searches; a viewer may not ingest', async () => {
    const operator = await key('acme', 'operator');
    const viewer = await key('acme', 'viewer');
    const body = { documents: [{ name: 'faq.md', text: '# FAQ\n\nShipping takes three days.\n\n## Returns\n\nReturns are free within thirty days.' }], scope: { team: 'support' } };
    const refused = await app.inject({ method: 'POST', url: '/api/v1/knowledge/corpora/faq/documents', headers: auth(viewer), payload: body });
    expect(refused.statusCode).toBe(403);
    const ingested = await app.inject({ method: 'POST', url: '/api/v1/knowledge/corpora/faq/documents', headers: auth(operator), payload: body });
    expect(ingested.statusCode).toBe(202);
    const answer = ingested.json<{ corpus: { name: string; scope: unknown }; documents: { document: { id: string; status: string }; created: boolean; started: boolean }[] }>();
    expect(answer.corpus).toMatchObject({ name: 'faq', scope: { team: 'support' } });
    expect(answer.documents[0]).toMatchObject({ created: true, started: true, document: { status: 'processing' } });
    expect(await readyDocument(viewer, answer.documents[0]!.document.id)).toMatchObject({ status: 'ready', chunks: 2, kind: 'markdown' });

    const search = await app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(viewer), payload: { corpus: 'faq', query: 'are returns free', topK: 1 } });
    expect(search.statusCode).toBe(200);
    expect(search.json<{ matches: { text: string }[] }>().matches.map((match) => match.text)).toEqual(['## Returns\n\nReturns are free within thirty days.']);
    const byScope = await app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(viewer), payload: { corpus: { scope: { team: 'support' } }, query: 'shipping' } });
    expect(byScope.json<{ matches: { text: string }[] }>().matches[0]!.text).toMatch(/Shipping takes three days/);

    const corpora = await app.inject({ method: 'GET', url: '/api/v1/knowledge/corpora', headers: auth(viewer) });
    expect(corpora.json()).toEqual([expect.objectContaining({ name: 'faq', status: 'ready', documents: 1, chunks: 2 })]);
    const documents = await app.inject({ method: 'GET', url: '/api/v1/knowledge/corpora/faq/documents', headers: auth(viewer) });
    expect(documents.json<{ documents: unknown[] }>().documents).toHaveLength(1);
  });

  test('bad input answers 400 with the JSON path, and nothing is stored', async () => {
    const operator = await key('acme', 'operator');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/knowledge/corpora/bad/documents', headers: auth(operator), payload: { documents: [{ name: 'ok.txt', text: 'fine' }, { name: 'broken.json', text: '[1,' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { type: 'InvalidRequest', problems: [{ path: '$.documents[1]', message: expect.stringMatching(/"broken\.json" is not valid JSON/) }] } });
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
    const badName = await app.inject({ method: 'POST', url: '/api/v1/knowledge/corpora/bad%20name/documents', headers: auth(operator), payload: { documents: [{ name: 'a.txt', text: 'x' }] } });
    expect(badName.statusCode).toBe(400);
    const empty = await app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(operator), payload: { corpus: 'faq', query: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { message: 'the search cannot run', problems: [{ path: '$.query', message: 'the query is empty' }] } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(operator), payload: { corpus: 'nope', query: 'x' } });
    expect(unknown.statusCode).toBe(404);
    expect((await engine.pool.query("SELECT count(*)::int AS n FROM knowledge_corpora WHERE name = 'bad'")).rows[0].n).toBe(0);
  });

  test("another organization's key finds none of it", async () => {
    const acme = await key('acme', 'operator');
    const rival = await key('rival', 'admin');
    const ingested = await app.inject({ method: 'POST', url: '/api/v1/knowledge/corpora/secret-plans/documents', headers: auth(acme), payload: { documents: [{ name: 'plan.txt', text: 'The launch is in March.' }] } });
    const documentId = ingested.json<{ documents: { document: { id: string } }[] }>().documents[0]!.document.id;
    await readyDocument(acme, documentId);
    const asRival = [
      await app.inject({ method: 'GET', url: `/api/v1/knowledge/documents/${documentId}`, headers: auth(rival) }),
      await app.inject({ method: 'GET', url: '/api/v1/knowledge/corpora/secret-plans/documents', headers: auth(rival) }),
      await app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(rival), payload: { corpus: 'secret-plans', query: 'launch' } }),
    ];
    expect(asRival.map((answer) => answer.statusCode)).toEqual([404, 404, 404]);
    for (const answer of asRival) expect(answer.body).not.toContain('March');
    const list = await app.inject({ method: 'GET', url: '/api/v1/knowledge/corpora', headers: auth(rival) });
    expect(list.json()).toEqual([]);
  });
});

describe('wf knowledge', () => {
  test('ingest files, wait until ready, search, list; the same files again store nothing new', async () => {
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nThe worker runs graphs.\n\n## Knowledge\n\nCorpora hold chunks with embeddings.');
    writeFileSync(join(dir, 'facts.json'), JSON.stringify({ port: 3020, ui: 8233 }));
    const ingest = await wf(['knowledge', 'ingest', 'docs', join(dir, 'guide.md'), join(dir, 'facts.json'), '--scope', 'area=engine']);
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/kd_\w+ {2}guide\.md {2}ready, 2 chunks/);
    expect(ingest.stdout).toMatch(/kd_\w+ {2}facts\.json {2}ready, 1 chunks/);
    expect(ingest.stdout).toMatch(/corpus docs \(kc_\w+\): 2 document\(s\)/);

    const again = await wf(['knowledge', 'ingest', 'docs', join(dir, 'guide.md')]);
    expect(again.stdout).toMatch(/same content already in the corpus/);

    const search = await wf(['knowledge', 'search', 'docs', 'what do corpora hold', '--top-k', '1']);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^\d\.\d{4} {2}kd_\w+-0001 {2}## Knowledge Corpora hold chunks with embeddings\.\n1 match\(es\) in [\d.]+ ms\n$/);
    const json = await wf(['knowledge', 'search', '--scope', 'area=engine', 'port', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ matches: [{ text: expect.stringContaining('$.port: 3020') }] });

    const corpora = await wf(['knowledge', 'corpora']);
    expect(corpora.stdout).toMatch(/^docs {2}ready {2}2 documents, 3 chunks {2}scope \{"area":"engine"\}/m);
    const documents = await wf(['knowledge', 'documents', 'docs', '--json']);
    expect(JSON.parse(documents.stdout)).toHaveLength(2);
    // Another organization's CLI sees nothing.
    expect((await wf(['knowledge', 'corpora'], 'rival')).stdout).toMatch(/^no corpora/);
    const rivalSearch = await wf(['knowledge', 'search', 'docs', 'port'], 'rival');
    expect(rivalSearch.code).toBe(2);
    expect(rivalSearch.stderr).toMatch(/corpus "docs" not found/);
  });

  test('bad files exit 2 with a clear message and store nothing', async () => {
    writeFileSync(join(dir, 'ok.txt'), 'fine text');
    writeFileSync(join(dir, 'bad.json'), '{"unfinished": ');
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const bad = await wf(['knowledge', 'ingest', 'refused', join(dir, 'ok.txt'), join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\$\.documents\[1\]: document "bad\.json" is not valid JSON/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const notUtf8 = await wf(['knowledge', 'ingest', 'refused', join(dir, 'latin1.txt')]);
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.stderr).toMatch(/latin1\.txt is not UTF-8 text/);
    const missing = await wf(['knowledge', 'ingest', 'refused', join(dir, 'nope.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.md: ENOENT/);
    const emptyQuery = await wf(['knowledge', 'search', 'docs', ' ']);
    expect(emptyQuery.code).toBe(2);
    expect(emptyQuery.stderr).toMatch(/the query is empty/);
    expect((await engine.pool.query("SELECT count(*)::int AS n FROM knowledge_corpora WHERE name = 'refused'")).rows[0].n).toBe(0);
  });
});
