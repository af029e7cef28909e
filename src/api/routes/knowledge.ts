/**
 * `/api/v1/knowledge` (DESIGN §12): ingest documents into a corpus (202: each document's
 * ingest workflow runs on; poll the document), list corpora and documents, search, and an
 * execution's retrievals. Everything is the caller's organization's only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_ONLY } from '../../common/egress-allow';
import type { ProviderAccess } from '../../knowledge/provider-embedder';
import { createSecretLookup } from '../../secrets/postgres-secret-lookup';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { corpusParams, corpusSummary, documentView, ingestAnswer, ingestBody, retrievalEventView, searchAnswer, searchBody, corpusView } from '../knowledge-schemas';
import { answers } from '../responses';
import { idParams, noQuery } from '../schemas';

/** Room for a request of several documents of up to 1 MiB each. */
const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

export const knowledgeRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  const tags = ['knowledge'];
  const knowledge = deps.client.knowledge;

  app.post(
    '/api/v1/knowledge/corpora/:corpus/documents',
    { bodyLimit: INGEST_BODY_LIMIT, schema: { params: corpusParams, body: ingestBody, tags, response: answers({ 202: ingestAnswer }) }, preHandler: requireRole(deps.pool, 'operator') },
    async (request, reply) => {
      const { documents, scope, embedder } = request.body;
      return reply.status(202).send(await knowledge.ingest(organizationOf(request), request.params.corpus, documents, { scope, embedder }));
    },
  );

  app.get('/api/v1/knowledge/corpora', { schema: { querystring: noQuery, tags, response: answers({ 200: z.array(corpusSummary) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return knowledge.corpora(organizationOf(request));
  });

  app.get(
    '/api/v1/knowledge/corpora/:corpus/documents',
    { schema: { params: corpusParams, querystring: noQuery, tags, response: answers({ 200: z.object({ corpus: corpusView, documents: z.array(documentView) }) }) }, preHandler: requireRole(deps.pool, 'viewer') },
    async (request) => knowledge.documents(organizationOf(request), request.params.corpus),
  );

  app.get('/api/v1/knowledge/documents/:id', { schema: { params: idParams, querystring: noQuery, tags, response: answers({ 200: documentView }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return knowledge.document(organizationOf(request), request.params.id);
  });

  app.post('/api/v1/knowledge/search', { schema: { body: searchBody, tags, response: answers({ 200: searchAnswer }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const organizationId = organizationOf(request);
    return knowledge.search({ organizationId, ...request.body }, providerAccess(deps, organizationId));
  });

  app.get('/api/v1/executions/:id/retrievals', { schema: { params: idParams, querystring: noQuery, tags, response: answers({ 200: z.array(retrievalEventView) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const organizationId = organizationOf(request);
    const execution = await deps.client.status(organizationId, request.params.id).catch(() => undefined);
    if (!execution) throw new HttpError(404, 'NotFound', `execution "${request.params.id}" not found`);
    return knowledge.retrievalEvents(organizationId, request.params.id);
  });
};

/** What a provider embedder needs to embed a query here: the organization's secrets and the API's egress rules. */
function providerAccess(deps: ApiDeps, organizationId: string): ProviderAccess | undefined {
  if (!deps.secretCipher) return undefined;
  const lookup = createSecretLookup(deps.pool, deps.secretCipher);
  return {
    apiKey: async (name) => {
      const value = await lookup.value(organizationId, name);
      if (value === undefined) throw new HttpError(409, 'SecretNotFound', `secret "${name}" (this corpus's embedder key) is not stored for this organization`);
      return value;
    },
    egress: deps.httpAllow ?? PUBLIC_ONLY,
  };
}
