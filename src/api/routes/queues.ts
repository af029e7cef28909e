import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, queueStats } from '../responses';

const refParams = z.strictObject({ ref: z.string().min(1).max(200) });

export const queueRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  // ref = the concurrency key (settings.concurrency.key, evaluated)
  app.get('/api/v1/actions/:ref/queue-stats', { schema: { params: refParams, tags: ['queues'], response: answers({ 200: queueStats }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.queueStats(organizationOf(request), request.params.ref);
  });
};
