/**
 * The provider embedder (DESIGN §12) end to end against a fake OpenAI-compatible server on
 * 127.0.0.1: a corpus embedded by it becomes ready with the provider's vectors (normalized),
 * sent in batches with the organization's secret as the key; the knowledge.retrieve node,
 * the API and the client search it through the same egress rules. Every failure (no secret,
 * a refused key, a server error, a wrong answer, egress denied) ends clearly and says so
 * without a stack or the key; only the server error is retried.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { InvalidRequestError } from '../../src/client/errors';
import { createApiKey } from '../../src/client/keys';
import { setSecret } from '../../src/client/secrets';
import { LOCAL_DEVELOPMENT_ALLOW, parseEgressAllow, PUBLIC_ONLY } from '../../src/common/egress-allow';
import { l2Normalize, type ProviderEmbedderSpec } from '../../src/knowledge/embedder';
import type { ProviderAccess } from '../../src/knowledge/provider-embedder';
import { createSecretLookup } from '../../src/secrets/postgres-secret-lookup';
import { auth } from '../helpers/api';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { fakeVector, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../helpers/fake-embeddings-server';
import { run, stepOutput } from '../helpers/graphs';
import { runWf } from '../helpers/wf-cli';

const ORG = 'default';
const KEY = 'sk-fake-embeddings-7f3a9c41d2';
const WRONG_KEY = 'sk-revoked-key-0b77e19a';
const DIMENSIONS = 8;
const LOOPBACK = parseEgressAllow(LOCAL_DEVELOPMENT_ALLOW);

let engine: TestEngine;
let server: FakeEmbeddingsServer;
beforeAll(async () => {
  [engine, server] = await Promise.all([startTestEngine(), startFakeEmbeddingsServer(KEY, DIMENSIONS)]);
  await setSecret(engine.pool, engine.secretCipher!, ORG, 'embed-key', KEY);
  await setSecret(engine.pool, engine.secretCipher!, ORG, 'revoked-key', WRONG_KEY);
});
afterAll(async () => {
  await engine?.stop();
  await server?.stop();
});

const embedder = (model: string, apiKeySecret = 'embed-key'): ProviderEmbedderSpec => ({ kind: 'openai', url: server.url, model, dimensions: DIMENSIONS, apiKeySecret });

/** The client's access to the provider, as a process holding WF_SECRETS_KEY builds it. */
const access = (egress = LOOPBACK): ProviderAccess => {
  const lookup = createSecretLookup(engine.pool, engine.secretCipher);
  return { apiKey: async (name) => (await lookup.value(ORG, name)) ?? Promise.reject(new Error(`no secret ${name}`)), egress };
};

async function ingestOne(on: TestEngine, corpus: string, model: string, text: string, apiKeySecret?: string, name = `${corpus}.txt`) {
  const answer = await on.client.knowledge.ingest(ORG, corpus, [{ name, text }], { embedder: embedder(model, apiKeySecret) });
  return on.client.knowledge.waitForDocument(ORG, answer.documents[0]!.document.id);
}

const corpusStatus = async (on: TestEngine, name: string) => (await on.client.knowledge.corpora(ORG)).find((corpus) => corpus.name === name)?.status;

/** What an error shown to a person must never carry. */
function expectClean(text: string | null | undefined): void {
  expect(text).toBeTruthy();
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(WRONG_KEY);
  expect(text).not.toMatch(/\n\s+at /);
}

const GUIDE = 'Invoices are sent on the first day of every month.\n\nRefunds go back to the card that paid, within five days.\n\nTrains leave every hour from platform nine.';
/** 70 paragraphs too long to share a chunk: 70 chunks, embedded as batches of 64 and 6. */
const LONG = Array.from({ length: 70 }, (_, index) => `Paragraph ${index} ${'lorem ipsum dolor sit amet '.repeat(18)}`.trim()).join('\n\n');

describe('a corpus embedded by the provider', () => {
  let guideId: string;
  beforeAll(async () => {
    const [guide, long] = await Promise.all([ingestOne(engine, 'provider', 'fake-embed', GUIDE), ingestOne(engine, 'provider-long', 'fake-embed', LONG)]);
    expect(guide.status, guide.error ?? '').toBe('ready');
    expect(long.status, long.error ?? '').toBe('ready');
    guideId = guide.id;
  });

  test('its chunks carry the provider vectors, normalized, and the server saw the key, the model and batches', async () => {
    const chunks = await engine.pool.query<{ text: string; dimensions: number; embedding: number[] }>('SELECT text, dimensions, embedding FROM knowledge_chunks WHERE document_id = $1 ORDER BY ordinal', [guideId]);
    expect(chunks.rows).toHaveLength(1);
    for (const chunk of chunks.rows) {
      expect(chunk.dimensions).toBe(DIMENSIONS);
      const expected = l2Normalize(fakeVector(chunk.text, DIMENSIONS));
      chunk.embedding.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
    }
    const calls = server.callsFor('fake-embed');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((call) => call.authorization === `Bearer ${KEY}` && call.status === 200)).toBe(true);
    const longChunks = (await engine.pool.query<{ text: string }>("SELECT text FROM knowledge_chunks WHERE corpus_id = (SELECT id FROM knowledge_corpora WHERE name = 'provider-long') ORDER BY ordinal")).rows.map((row) => row.text);
    expect(longChunks).toHaveLength(70);
    const longCalls = calls.filter((call) => longChunks.includes(call.input[0]!));
    expect(longCalls.map((call) => call.input)).toEqual([longChunks.slice(0, 64), longChunks.slice(64)]);
    expect(await corpusStatus(engine, 'provider')).toBe('ready');
  });

  test('a knowledge.retrieve node embeds its query with the provider and finds the closest chunks; its output carries no key', async () => {
    await ingestOne(engine, 'provider', 'fake-embed', 'Refund requests need the invoice number.', undefined, 'refunds.txt');
    await ingestOne(engine, 'provider', 'fake-embed', 'Zebras and yaks graze quietly by the river.', undefined, 'animals.txt');
    const before = server.callsFor('fake-embed').length;
    const query = 'how do refunds work';
    const view = await run(engine, { nodes: [{ id: 'find', type: 'knowledge.retrieve', config: { corpus: 'provider', query, topK: 2, minScore: -1 } }], edges: [] });
    expect(view.status, JSON.stringify(view.steps)).toBe('completed');
    const queried = server.callsFor('fake-embed').slice(before);
    expect(queried).toEqual([{ model: 'fake-embed', input: [query], authorization: `Bearer ${KEY}`, status: 200 }]);
    // The expected ranking, from the fake's vectors: cosine, then chunk id.
    const all = (await engine.pool.query<{ id: string; text: string }>("SELECT id, text FROM knowledge_chunks WHERE corpus_id = (SELECT id FROM knowledge_corpora WHERE name = 'provider')")).rows;
    expect(all).toHaveLength(3);
    const q = l2Normalize(fakeVector(query, DIMENSIONS));
    const ranked = all
      .map((chunk) => ({ id: chunk.id, score: l2Normalize(fakeVector(chunk.text, DIMENSIONS)).reduce((sum, value, index) => sum + value * q[index]!, 0) }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const output = (await stepOutput(engine, view.executionId, 'find')) as { matches: { chunkId: string; score: number }[] };
    expect(output.matches.map((match) => match.chunkId)).toEqual(ranked.slice(0, 2).map((chunk) => chunk.id));
    output.matches.forEach((match, index) => expect(match.score).toBeCloseTo(ranked[index]!.score, 5));
    expect(JSON.stringify(output)).not.toContain(KEY);
    const events = await engine.client.knowledge.retrievalEvents(ORG, view.executionId);
    expect(events.map((event) => event.chunkIds)).toEqual([output.matches.map((match) => match.chunkId)]);
  });

  test("a chunk that quotes the key comes out of the node redacted: the key was read through the attempt's SecretScope", async () => {
    await ingestOne(engine, 'provider-quoting', 'fake-embed', `The embeddings key is ${KEY} (do not share).`);
    const view = await run(engine, { nodes: [{ id: 'find', type: 'knowledge.retrieve', config: { corpus: 'provider-quoting', query: 'embeddings key' } }], edges: [] });
    expect(view.status, JSON.stringify(view.steps)).toBe('completed');
    const output = (await stepOutput(engine, view.executionId, 'find')) as { matches: { text: string }[] };
    expect(output.matches.map((match) => match.text)).toEqual(['The embeddings key is *** (do not share).']);
  });

  test('the client searches it when given access, and says what it needs without', async () => {
    const search = { organizationId: ORG, corpus: 'provider', query: 'refund', topK: 3, minScore: -1 };
    const found = await engine.client.knowledge.search(search, access());
    expect(found.matches.map((match) => match.documentId).sort()).toEqual((await engine.client.knowledge.documents(ORG, 'provider')).documents.map((document) => document.id).sort());
    const error = await engine.client.knowledge.search(search).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).problems[0]!.message).toMatch(/embeds with fake-embed at http:\/\/127\.0\.0\.1:\d+\/v1: searching it needs .*WF_SECRETS_KEY/);
  });

  describe('the API search route', () => {
    const apps: FastifyInstance[] = [];
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });
    const api = async (deps: { secretCipher?: boolean; httpAllow?: boolean }) => {
      const app = await buildApi({ client: engine.client, pool: engine.pool, secretCipher: deps.secretCipher ? engine.secretCipher : undefined, httpAllow: deps.httpAllow ? LOOPBACK : undefined });
      apps.push(app);
      const key = (await createApiKey(engine.pool, ORG, 'viewer')).apiKey;
      return (body: object) => app.inject({ method: 'POST', url: '/api/v1/knowledge/search', headers: auth(key), payload: body });
    };
    const body = { corpus: 'provider', query: 'refund', topK: 3, minScore: -1 };

    test('answers what the client answers, with WF_SECRETS_KEY and the loopback egress exception', async () => {
      const answer = await (await api({ secretCipher: true, httpAllow: true }))(body);
      expect(answer.statusCode, answer.body).toBe(200);
      const expected = await engine.client.knowledge.search({ organizationId: ORG, ...body }, access());
      expect(answer.json().matches).toEqual(expected.matches);
      expect(answer.body).not.toContain(KEY);
    });

    test('without WF_SECRETS_KEY: 400 naming it', async () => {
      const answer = await (await api({ httpAllow: true }))(body);
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.problems[0].message).toMatch(/WF_SECRETS_KEY/);
    });

    test('without the egress exception: refused, saying why, and nothing reaches the server', async () => {
      const before = server.calls.length;
      const answer = await (await api({ secretCipher: true }))(body);
      expect(answer.json().error).toEqual({ type: 'EgressDenied', message: expect.stringMatching(/refused to connect to 127\.0\.0\.1: a loopback address/) });
      expect(answer.statusCode).toBe(502);
      expect(server.calls.length).toBe(before);
    });

    test('a corpus whose key secret is not stored: 409 naming the secret', async () => {
      await ingestOne(engine, 'provider-keyless', 'fake-embed', GUIDE, 'absent-api-key');
      const answer = await (await api({ secretCipher: true, httpAllow: true }))({ ...body, corpus: 'provider-keyless' });
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error).toEqual({ type: 'SecretNotFound', message: 'secret "absent-api-key" (this corpus\'s embedder key) is not stored for this organization' });
    });

    test('a key the provider refuses: 502 EmbedderRefused, without the key', async () => {
      await ingestOne(engine, 'provider-revoked', 'fake-embed', GUIDE, 'revoked-key');
      const answer = await (await api({ secretCipher: true, httpAllow: true }))({ ...body, corpus: 'provider-revoked' });
      expect(answer.statusCode).toBe(502);
      expect(answer.json().error).toEqual({ type: 'EmbedderRefused', message: expect.stringMatching(/answered 401/) });
      expectClean(answer.body);
    });
  });
});

describe('wf knowledge search', () => {
  const wf = (args: string[], env: Record<string, string> = {}) =>
    runWf(['knowledge', 'search', ...args], { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, ...env });

  test('searches a provider corpus with the secrets key and WF_HTTP_ALLOW; without the key it says what it needs', async () => {
    await ingestOne(engine, 'provider-cli', 'fake-embed', GUIDE);
    const found = await wf(['provider-cli', 'refunds to the card', '--json'], { WF_SECRETS_KEY: engine.secretsKey!, WF_HTTP_ALLOW: '127.0.0.1' });
    expect(found.stderr).toBe('');
    expect(JSON.parse(found.stdout).matches.length).toBeGreaterThan(0);
    expectClean(found.stdout);
    const denied = await wf(['provider-cli', 'refunds to the card'], { WF_SECRETS_KEY: engine.secretsKey! });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/egress|WF_HTTP_ALLOW|loopback/i);
    const keyless = await wf(['provider-cli', 'refunds to the card']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/WF_SECRETS_KEY/);
    expectClean(keyless.stderr);
  });
});

describe('failures', () => {
  test('no secret of that name: the document fails, not retried, saying which secret; the corpus is degraded', async () => {
    const document = await ingestOne(engine, 'no-secret', 'model-no-secret', GUIDE, 'absent-key');
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(/secret "absent-key" is not stored for this organization/);
    expectClean(document.error);
    expect(server.callsFor('model-no-secret')).toEqual([]);
    expect(await corpusStatus(engine, 'no-secret')).toBe('degraded');
  });

  test('a key the provider refuses (401): failed after one request, the key in no message', async () => {
    const document = await ingestOne(engine, 'refused', 'model-refused', GUIDE, 'revoked-key');
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(/^the embedder at http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings answered 401$/);
    expectClean(document.error);
    expect(server.callsFor('model-refused').map((call) => call.status)).toEqual([401]);
    expect(await corpusStatus(engine, 'refused')).toBe('degraded');
    // A retrieve node over it fails the same way, not retried, and its error carries no key either.
    const view = await run(engine, { nodes: [{ id: 'find', type: 'knowledge.retrieve', retry: { maxAttempts: 3, initialInterval: '100ms' }, config: { corpus: 'refused', query: 'refund' } }], edges: [] });
    expect(view.steps.find).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'EmbedderRefused' } });
    expectClean(JSON.stringify(view.steps.find));
  });

  test('a server error is retried: 500, then the document is ready', async () => {
    const document = await ingestOne(engine, 'flaky', 'flaky-embed', GUIDE);
    expect(document.status, document.error ?? '').toBe('ready');
    expect(server.callsFor('flaky-embed').map((call) => call.status)).toEqual([500, 200]);
    expect(await corpusStatus(engine, 'flaky')).toBe('ready');
  });

  test('an answer broken off midway is retried: then the document is ready', async () => {
    const document = await ingestOne(engine, 'cut', 'cut-embed', GUIDE);
    expect(document.status, document.error ?? '').toBe('ready');
    expect(server.callsFor('cut-embed')).toHaveLength(2);
  });

  test('an answer too large to be one is refused as it streams: failed after one request, saying so', async () => {
    const document = await ingestOne(engine, 'huge', 'huge-embed', GUIDE);
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(/^the embedder at http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings answered more than 33554432 bytes$/);
    expect(server.callsFor('huge-embed')).toHaveLength(1);
  });

  test('vectors of the wrong size: failed after one request, saying so', async () => {
    const document = await ingestOne(engine, 'short', 'short-embed', GUIDE);
    expect(document.status).toBe('failed');
    expect(document.error).toMatch(/answered an embedding that is not 8 numbers/);
    expectClean(document.error);
    expect(server.callsFor('short-embed')).toHaveLength(1);
  });

  test('a worker without the loopback exception refuses to call it: failed, EgressDenied, nothing sent', async () => {
    const guarded = await startTestEngine({ http: { allow: PUBLIC_ONLY } });
    try {
      await setSecret(guarded.pool, guarded.secretCipher!, ORG, 'embed-key', KEY);
      const document = await ingestOne(guarded, 'egress', 'model-egress', GUIDE);
      expect(document.status).toBe('failed');
      expect(document.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: refused to connect to 127\.0\.0\.1: a loopback address/);
      expectClean(document.error);
      expect(await corpusStatus(guarded, 'egress')).toBe('degraded');
      expect(server.callsFor('model-egress')).toEqual([]);
    } finally {
      await guarded.stop();
    }
  });
});
