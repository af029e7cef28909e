/**
 * /api/v1/forms (DESIGN §10): forms of an organization (operator), and their submissions,
 * which an operator or a `submitter` key makes. A submission finds the form in the key's
 * organization before it judges the role: another organization's key gets 404 whatever its
 * role, and nothing is stored for it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Json } from '../../workflows/graph/types';
import { ID_PATTERN } from '../../workflows/graph/schema';
import { checkRole, organizationOf, requireKey, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, noContent } from '../responses';
import { jsonValue } from '../schema-registry';
import { graphRef, graphVersion, noQuery } from '../schemas';

const formId = z.string().regex(ID_PATTERN, { message: 'form id must match [a-z0-9][a-z0-9._-]{0,63}' });
const formParams = z.strictObject({ formId });
const createFormBody = z.strictObject({ formId, graphId: graphRef, version: graphVersion.optional().describe('omitted: the latest version at each submission') });
const submissionBody = z.strictObject({
  submissionId: z.string().min(1).max(200).describe('the same id again starts nothing new and answers the same executions'),
  data: jsonValue,
});

const form = z.object({ formId: z.string(), graphId: z.string(), graphVersion: z.number().int().nullable(), createdAt: z.string() });
const submissionAccepted = z.object({ executionIds: z.array(z.string()).describe("the form's execution first, then those of the form.submitted triggers") });

export const formRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  const tags = ['forms'];
  app.post('/api/v1/forms', { schema: { body: createFormBody, tags, response: answers({ 201: form }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    return reply.status(201).send(await deps.client.forms.create(organizationOf(request), request.body.formId, request.body.graphId, request.body.version));
  });

  app.get('/api/v1/forms', { schema: { querystring: noQuery, tags, response: answers({ 200: z.array(form) }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request) => {
    return deps.client.forms.list(organizationOf(request));
  });

  app.delete('/api/v1/forms/:formId', { schema: { params: formParams, tags, response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.forms.delete(organizationOf(request), request.params.formId);
    return reply.status(204).send();
  });

  app.post(
    '/api/v1/forms/:formId/submissions',
    { schema: { params: formParams, body: submissionBody, tags, response: answers({ 202: submissionAccepted }) }, preHandler: requireKey(deps.pool) },
    async (request, reply) => {
      const organizationId = organizationOf(request);
      await deps.client.forms.get(organizationId, request.params.formId); // 404 first, for any role
      checkRole(request, 'submitter');
      const submitted = await deps.client.forms.submit(organizationId, request.params.formId, { submissionId: request.body.submissionId, data: request.body.data as Json });
      return reply.status(202).send(submitted);
    },
  );
};
