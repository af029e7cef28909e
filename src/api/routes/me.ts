/**
 * `GET /api/v1/me`: who the presented key is (organization, key id, role), so a client such as
 * the console can offer only what the key may do. `GET /api/v1/console-config`: what the
 * console needs to link an execution into the Temporal Web UI.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, consoleConfig, identity } from '../responses';
import { noQuery } from '../schemas';

export const DEFAULT_TEMPORAL_UI_URL = 'http://localhost:8233';

export const meRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/me', { schema: { querystring: noQuery, tags: ['keys'], response: answers({ 200: identity }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    const { keyId, role } = request.identity!;
    return { organizationId: organizationOf(request), keyId, role };
  });

  app.get('/api/v1/console-config', { schema: { querystring: noQuery, tags: ['console'], response: answers({ 200: consoleConfig }) }, preHandler: requireRole(deps.pool, 'viewer') }, async () => {
    return { temporalNamespace: deps.client.namespace, temporalUiUrl: deps.temporalUiUrl ?? DEFAULT_TEMPORAL_UI_URL };
  });
};
