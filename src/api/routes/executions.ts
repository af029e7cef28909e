import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Json } from '../../workflows/graph/types';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { z } from 'zod';
import { answers, cancelAccepted, eventStream, executionContext, executionPage, executionStarted, executionView, signalAccepted, stepAttempt } from '../responses';
import { executionContextQuery, idParams, listExecutionsQuery, signalBody, signalParams, startExecutionBody, stepParams } from '../schemas';
import { streamExecutionEvents } from '../sse';

/** `sseMaxMs`: how long one event stream may stay open (WF_SSE_MAX_SECONDS). */
export const executionRoutes = (deps: ApiDeps, sseMaxMs: number): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/executions', { schema: { body: startExecutionBody, tags: ['executions'], response: answers({ 202: executionStarted }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    const organizationId = organizationOf(request);
    const body = request.body;
    const graph = await deps.client.loadGraph(organizationId, body.graphId, body.version);
    const started = await deps.client.start({
      organizationId,
      graph,
      input: body.input as Json | undefined,
      idempotencyKey: body.idempotencyKey,
      deadline: body.deadline,
    });
    return reply.status(202).send({ executionId: started.executionId, status: started.status, url: `/api/v1/executions/${started.executionId}` });
  });

  app.get('/api/v1/executions', { schema: { querystring: listExecutionsQuery, tags: ['executions'], response: answers({ 200: executionPage }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.listExecutions(organizationOf(request), request.query);
  });

  app.get('/api/v1/executions/:id', { schema: { params: idParams, tags: ['executions'], response: answers({ 200: executionView }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.status(organizationOf(request), request.params.id);
  });

  // The execution context after each batch of decided nodes (DESIGN §12), outputs by reference.
  app.get('/api/v1/executions/:id/context', { schema: { params: idParams, querystring: executionContextQuery, tags: ['executions'], response: answers({ 200: executionContext }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.context(organizationOf(request), request.params.id, request.query.sequence);
  });

  // Every attempt of one step with its stored (sanitized) error: what the console shows on a click.
  app.get('/api/v1/executions/:id/steps/:nodeId/attempts', { schema: { params: stepParams, tags: ['executions'], response: answers({ 200: z.array(stepAttempt) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.stepAttempts(organizationOf(request), request.params.id, request.params.nodeId);
  });

  app.post('/api/v1/executions/:id/cancel', { schema: { params: idParams, tags: ['executions'], response: answers({ 202: cancelAccepted }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.cancel(organizationOf(request), request.params.id);
    return reply.status(202).send({ executionId: request.params.id, cancelRequested: true });
  });

  app.post('/api/v1/executions/:id/signals/:name', { schema: { params: signalParams, body: signalBody, tags: ['executions'], response: answers({ 202: signalAccepted }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.signal(organizationOf(request), request.params.id, request.params.name, (request.body?.payload ?? null) as Json);
    return reply.status(202).send({ executionId: request.params.id, signal: request.params.name });
  });

  app.get('/api/v1/executions/:id/events', { schema: { params: idParams, tags: ['executions'], response: answers({ 200: eventStream }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request, reply) => {
    const organizationId = organizationOf(request);
    await deps.client.status(organizationId, request.params.id); // 404 before the stream opens
    await streamExecutionEvents(deps.client, organizationId, request.params.id, request, reply, sseMaxMs);
  });

  app.get('/admin/executions', { schema: { querystring: listExecutionsQuery, tags: ['admin'], response: answers({ 200: executionPage }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
    return deps.client.listExecutions(organizationOf(request), request.query);
  });

  app.post('/admin/executions/:id/cancel', { schema: { params: idParams, tags: ['admin'], response: answers({ 202: cancelAccepted }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    await deps.client.cancel(organizationOf(request), request.params.id);
    return reply.status(202).send({ executionId: request.params.id, cancelRequested: true });
  });
};
