/**
 * `/api/v1/secrets` (DESIGN §10), admin only: store a secret (PUT, 201 created / 200
 * replaced), list names and times, delete. The value is only ever in the PUT body: it is
 * sealed before it is stored, never answered, and the request logs carry no bodies.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deleteSecret, listSecrets, setSecret } from '../../client/secrets';
import { withPostgres } from '../../client/unavailable';
import { SECRETS_KEY_MISSING } from '../../secrets/secret-context';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { answers, noContent } from '../responses';
import { noQuery } from '../schemas';
import { putSecretBody, secretParams, secretStored, secretView } from '../secret-schemas';

export const secretRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.put(
    '/api/v1/secrets/:name',
    { schema: { params: secretParams, body: putSecretBody, tags: ['secrets'], response: answers({ 200: secretStored, 201: secretStored }) }, preHandler: requireRole(deps.pool, 'admin') },
    async (request, reply) => {
      const cipher = deps.secretCipher;
      if (!cipher) throw new HttpError(503, 'SecretsKeyMissing', SECRETS_KEY_MISSING);
      const { name } = request.params;
      const stored = await withPostgres(() => setSecret(deps.pool, cipher, organizationOf(request), name, request.body.value));
      return reply.status(stored === 'created' ? 201 : 200).send({ name, stored });
    },
  );

  app.get('/api/v1/secrets', { schema: { querystring: noQuery, tags: ['secrets'], response: answers({ 200: z.array(secretView) }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
    return withPostgres(() => listSecrets(deps.pool, organizationOf(request)));
  });

  app.delete('/api/v1/secrets/:name', { schema: { params: secretParams, tags: ['secrets'], response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'admin') }, async (request, reply) => {
    const { name } = request.params;
    if (!(await withPostgres(() => deleteSecret(deps.pool, organizationOf(request), name)))) throw new HttpError(404, 'NotFound', `secret "${name}" not found`);
    return reply.status(204).send();
  });
};
