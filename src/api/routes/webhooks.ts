import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withPostgres } from '../../client/unavailable';
import { createWebhook, deleteWebhook } from '../../notifications/webhooks';
import { listWebhooks } from '../../store/notifications/list-webhooks';
import { listNotifications } from '../../store/notifications/list-notifications';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { createdWebhook, createWebhookBody, notificationsQuery, notificationView, webhookView } from '../notification-schemas';
import { answers, noContent } from '../responses';
import { idParams, noQuery } from '../schemas';

/** Webhooks (admin: they receive the organization's events) and their notifications (operator). */
export const webhookRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/webhooks', { schema: { body: createWebhookBody, tags: ['webhooks'], response: answers({ 201: createdWebhook }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    const created = await withPostgres(() => createWebhook(deps.pool, deps.secretCipher, organizationOf(request), request.body, '$.body'));
    return reply.status(201).send(created);
  });

  app.get('/api/v1/webhooks', { schema: { querystring: noQuery, tags: ['webhooks'], response: answers({ 200: z.array(webhookView) }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
    return withPostgres(() => listWebhooks(deps.pool, organizationOf(request)));
  });

  app.delete('/api/v1/webhooks/:id', { schema: { params: idParams, tags: ['webhooks'], response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    await withPostgres(() => deleteWebhook(deps.pool, organizationOf(request), request.params.id));
    return reply.status(204).send();
  });

  app.get('/api/v1/notifications', { schema: { querystring: notificationsQuery, tags: ['webhooks'], response: answers({ 200: z.array(notificationView) }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request) => {
    return withPostgres(() => listNotifications(deps.pool, organizationOf(request), { status: request.query.status }));
  });
};
