import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../client/errors';
import { createApiKey } from '../../client/keys';
import { withPostgres } from '../../client/unavailable';
import { listApiKeys } from '../../store/keys/list-keys';
import { revokeApiKey } from '../../store/keys/revoke-key';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, createdKey, keyView, noContent } from '../responses';
import { createKeyBody, idParams, noQuery } from '../schemas';

export const keyRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/keys', { schema: { body: createKeyBody, tags: ['keys'], response: answers({ 201: createdKey }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    const created = await withPostgres(() => createApiKey(deps.pool, organizationOf(request), request.body.role, request.body.name));
    return reply.status(201).send({ ...created, name: request.body.name ?? null });
  });

  app.get('/api/v1/keys', { schema: { querystring: noQuery, tags: ['keys'], response: answers({ 200: z.array(keyView) }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
    return withPostgres(() => listApiKeys(deps.pool, organizationOf(request)));
  });

  app.delete('/api/v1/keys/:id', { schema: { params: idParams, tags: ['keys'], response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    if (!(await withPostgres(() => revokeApiKey(deps.pool, organizationOf(request), request.params.id)))) throw new NotFoundError('API key', request.params.id);
    return reply.status(204).send();
  });
};
