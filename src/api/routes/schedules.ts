/** /api/v1/schedules (DESIGN §10): Temporal Schedules that start a graph's executions. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OVERLAP_POLICIES } from '../../store/schedules/schedule-row';
import { organizationOf, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { answers, noContent } from '../responses';
import { jsonValue } from '../schema-registry';
import { graphRef, graphVersion, idParams, noQuery } from '../schemas';

const createScheduleBody = z.strictObject({
  graphId: graphRef,
  version: graphVersion.optional().describe('omitted: the latest version now, pinned from then on'),
  cron: z.string().max(200).optional().describe('a cron expression, e.g. "*/5 * * * *" (give cron or every)'),
  every: z.string().max(20).optional().describe('an interval, whole seconds, e.g. "30s", "10m"'),
  input: jsonValue.optional(),
  overlap: z.enum(OVERLAP_POLICIES).optional().describe('a run due while one runs: skip (default), buffer one, or allow all'),
});

const schedule = z.object({
  id: z.string(),
  temporalScheduleId: z.string().describe('sched:<organization>:<id>'),
  graphId: z.string(),
  graphVersion: z.number().int(),
  spec: z.union([z.object({ cron: z.string() }), z.object({ every: z.string() })]),
  overlap: z.enum(OVERLAP_POLICIES),
  input: z.unknown(),
  paused: z.boolean(),
  nextRunAt: z.string().nullable(),
  createdAt: z.string(),
});
const createdSchedule = schedule.extend({ pinnedLatest: z.boolean().describe('no version was given: the latest was pinned') });

export const scheduleRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  const tags = ['schedules'];
  app.post('/api/v1/schedules', { schema: { body: createScheduleBody, tags, response: answers({ 201: createdSchedule }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    return reply.status(201).send(await deps.client.schedules.create(organizationOf(request), request.body));
  });

  app.get('/api/v1/schedules', { schema: { querystring: noQuery, tags, response: answers({ 200: z.array(schedule) }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.schedules.list(organizationOf(request));
  });

  app.get('/api/v1/schedules/:id', { schema: { params: idParams, tags, response: answers({ 200: schedule }) }, preHandler: requireRole(deps.pool, 'viewer') }, async (request) => {
    return deps.client.schedules.get(organizationOf(request), request.params.id);
  });

  app.post('/api/v1/schedules/:id/pause', { schema: { params: idParams, tags, response: answers({ 200: schedule }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request) => {
    return deps.client.schedules.pause(organizationOf(request), request.params.id);
  });

  app.post('/api/v1/schedules/:id/resume', { schema: { params: idParams, tags, response: answers({ 200: schedule }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request) => {
    return deps.client.schedules.resume(organizationOf(request), request.params.id);
  });

  app.delete('/api/v1/schedules/:id', { schema: { params: idParams, tags, response: answers({ 204: noContent }) }, preHandler: requireRole(deps.pool, 'operator') }, async (request, reply) => {
    await deps.client.schedules.delete(organizationOf(request), request.params.id);
    return reply.status(204).send();
  });
};
