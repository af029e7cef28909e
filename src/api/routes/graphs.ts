import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateGraph } from '../../workflows/graph/validate';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, graphDocument, graphStored, graphValidation } from '../responses';
import { graphVersionParams, idParams } from '../schemas';

export const graphRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/graphs', { schema: { body: z.unknown(), tags: ['graphs'], response: answers({ 200: graphStored, 201: graphStored }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    const { graph, stored } = await deps.client.storeGraph(organizationOf(request), request.body);
    return reply.status(stored === 'created' ? 201 : 200).send({ graphId: graph.id, version: graph.version, stored });
  });

  app.post('/api/v1/graphs/validate', { schema: { body: z.unknown(), tags: ['graphs'], response: answers({ 200: graphValidation }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const result = validateGraph(request.body);
    return { valid: result.ok, problems: result.problems };
  });

  app.get('/api/v1/graphs/:id', { schema: { params: idParams, tags: ['graphs'], response: answers({ 200: graphDocument }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.loadGraph(organizationOf(request), request.params.id);
  });

  app.get('/api/v1/graphs/:id/versions/:v', { schema: { params: graphVersionParams, tags: ['graphs'], response: answers({ 200: graphDocument }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.loadGraph(organizationOf(request), request.params.id, request.params.v);
  });
};
