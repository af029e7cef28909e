import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Json } from '../../workflows/graph/types';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, eventAccepted, noContent, trigger } from '../responses';
import { jsonValue } from '../schema-registry';
import { graphRef, graphVersion, idParams, noQuery } from '../schemas';

const eventType = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'event type: letters, digits, _ . : - (1 to 200)' });
const eventBody = z.strictObject({ id: z.string().min(1).max(200), type: eventType, payload: jsonValue.optional() });
const triggerBody = z.strictObject({
  eventType,
  graphId: graphRef,
  version: graphVersion.optional(),
  filter: z.string().min(1).max(4096).optional().describe('CEL over event ({id, type, payload}), e.g. event.payload.total > 100'),
});

export const eventRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  // A domain event: every trigger of its type starts an execution; idempotent by event id.
  app.post('/api/v1/events', { schema: { body: eventBody, tags: ['events'], response: answers({ 202: eventAccepted }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    const result = await deps.client.publishEvent(organizationOf(request), { id: request.body.id, type: request.body.type, payload: request.body.payload as Json | undefined });
    return reply.status(202).send(result);
  });

  app.post('/api/v1/triggers', { schema: { body: triggerBody, tags: ['events'], response: answers({ 201: trigger }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    const trigger = await deps.client.createTrigger(organizationOf(request), request.body.eventType, request.body.graphId, request.body.version, request.body.filter);
    return reply.status(201).send(trigger);
  });

  app.get('/api/v1/triggers', { schema: { querystring: noQuery, tags: ['events'], response: answers({ 200: z.array(trigger) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.listTriggers(organizationOf(request));
  });

  app.delete('/api/v1/triggers/:id', { schema: { params: idParams, tags: ['events'], response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.deleteTrigger(organizationOf(request), request.params.id);
    return reply.status(204).send();
  });
};
