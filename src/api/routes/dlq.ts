import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { durationMs } from '../../workflows/graph/durations';
import type { Json } from '../../workflows/graph/types';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, deadLetter, deadLetterDetail, executionStarted, noContent } from '../responses';
import { dlqQuery, idParams, retryBody } from '../schemas';

export const dlqRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/dlq', { schema: { querystring: dlqQuery, tags: ['dlq'], response: answers({ 200: z.array(deadLetter) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const { graphId, since, all } = request.query;
    return deps.client.listDeadLetters(organizationOf(request), { graphId, maxAgeMs: since ? durationMs(since) : undefined, includeResolved: all === 'true' });
  });

  app.get('/api/v1/dlq/:id', { schema: { params: idParams, tags: ['dlq'], response: answers({ 200: deadLetterDetail }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const organizationId = organizationOf(request);
    const letter = await deps.client.deadLetter(organizationId, request.params.id);
    return { ...letter, input: await deps.client.deadLetterInput(organizationId, request.params.id) };
  });

  app.post('/api/v1/dlq/:id/retry', { schema: { params: idParams, body: retryBody, tags: ['dlq'], response: answers({ 202: executionStarted }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    const started = await deps.client.retryDeadLetter(organizationOf(request), request.params.id, {
      resume: request.body?.resume,
      input: request.body?.input as Json | undefined,
      actor: `key:${request.identity!.keyId}`,
    });
    return reply.status(202).send({ executionId: started.executionId, status: started.status, url: `/api/v1/executions/${started.executionId}` });
  });

  app.delete('/api/v1/dlq/:id', { schema: { params: idParams, tags: ['dlq'], response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.purgeDeadLetter(organizationOf(request), request.params.id, `key:${request.identity!.keyId}`);
    return reply.status(204).send();
  });
};
