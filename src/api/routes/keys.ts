import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asPostgresUnavailable, NotFoundError } from '../../client/errors';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys';
import { createKeyBody, idParams } from '../schemas';

export const keyRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  const db = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asPostgresUnavailable(error);
    }
  };

  app.post('/api/v1/keys', { schema: { body: createKeyBody, tags: ['keys'] }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    const created = await db(() => createApiKey(deps.pool, organizationOf(request), request.body.role, request.body.name));
    return reply.status(201).send({ ...created, name: request.body.name ?? null });
  });

  app.get('/api/v1/keys', { schema: { tags: ['keys'] }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
    return db(() => listApiKeys(deps.pool, organizationOf(request)));
  });

  app.delete('/api/v1/keys/:id', { schema: { params: idParams, tags: ['keys'] }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    if (!(await db(() => revokeApiKey(deps.pool, organizationOf(request), request.params.id)))) throw new NotFoundError('API key', request.params.id);
    return reply.status(204).send();
  });
};
