import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, queueInUse, queueStats } from '../responses';
import { noQuery } from '../schemas';

const refParams = z.strictObject({ ref: z.string().min(1).max(200) });

export const queueRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  // The keys worth looking at (the console's queue page): those with an execution running or queued.
  app.get('/api/v1/queues', { schema: { querystring: noQuery, tags: ['queues'], response: answers({ 200: z.array(queueInUse) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.queuesInUse(organizationOf(request));
  });

  // ref = the concurrency key (settings.concurrency.key, evaluated)
  app.get('/api/v1/actions/:ref/queue-stats', { schema: { params: refParams, tags: ['queues'], response: answers({ 200: queueStats }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.queueStats(organizationOf(request), request.params.ref);
  });
};
