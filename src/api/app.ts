/**
 * The HTTP API (DESIGN §9): Fastify with zod schemas as the single source of request types
 * and of the OpenAPI document at /docs; every route scoped to its key's organization.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DEFAULT_API_LIMITS, type ApiLimits } from '../config';
import { organizationOf, requireRole } from './auth';
import type { ApiDeps } from './deps';
import { handleError } from './errors';
import { registerJsonBodyParser } from './json-body';
import { createMetrics, type ApiMetrics } from './metrics';
import { registerNulGuard } from './nul-guard';
import { registerRateLimits } from './rate-limit';
import { codecRoutes } from './routes/codec';
import { consoleRoutes } from './routes/console';
import { dlqRoutes } from './routes/dlq';
import { eventRoutes } from './routes/events';
import { executionRoutes } from './routes/executions';
import { formRoutes } from './routes/forms';
import { knowledgeRoutes } from './routes/knowledge';
import { graphRoutes } from './routes/graphs';
import { keyRoutes } from './routes/keys';
import { meRoutes } from './routes/me';
import { queueRoutes } from './routes/queues';
import { secretRoutes } from './routes/secrets';
import { webhookRoutes } from './routes/webhooks';
import { scheduleRoutes } from './routes/schedules';
import { apiSchemas } from './schema-registry';
import type { Telemetry } from '../telemetry';

/** A graph document may be 1 MiB; leave room for JSON around it. */
const BODY_LIMIT = 2 * 1024 * 1024;
/** Path parameters up to the longest id the schemas accept (200), so validation answers for them. */
const MAX_PARAM_LENGTH = 256;

export async function buildApi(deps: ApiDeps, options: { logger?: boolean | object; metrics?: ApiMetrics; limits?: Partial<ApiLimits>; telemetry?: Pick<Telemetry, 'instrumentApi'>; consoleDir?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Log lines carry the execution id where the URL has one; never the Authorization header.
    genReqId: () => crypto.randomUUID(),
    // `//`: the Web UI joins a codec endpoint typed with a trailing slash and `/decode` as `/codec//decode`.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreDuplicateSlashes: true },
    // A malformed URL gets the same error body as everything else.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();
  const limits = { ...DEFAULT_API_LIMITS, ...options.limits };
  // First, so the request span covers every other hook.
  options.telemetry?.instrumentApi(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  registerJsonBodyParser(app);
  registerNulGuard(app);
  await registerRateLimits(app, limits);
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { type: 'NotFound', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));

  // Request logs carry the execution id where the route has one.
  app.addHook('preHandler', async (request) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && request.url.includes('/executions/')) request.log = request.log.child({ executionId: id });
  });

  // Given by startApi, which serves metrics.registry (every organization) on WF_METRICS_PORT.
  const metrics = options.metrics ?? createMetrics(deps.pool);
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'wf-engine API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // With the registry, named schemas (the recursive JSON value, the error body) are written to components.schemas.
    transform: createJsonSchemaTransform({ schemaRegistry: apiSchemas }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiSchemas }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(graphRoutes(deps));
  await app.register(executionRoutes(deps, limits.sseMaxSeconds * 1000));
  await app.register(dlqRoutes(deps));
  await app.register(keyRoutes(deps));
  await app.register(meRoutes(deps));
  await app.register(queueRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(secretRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(scheduleRoutes(deps));
  await app.register(formRoutes(deps));
  await app.register(knowledgeRoutes(deps));
  await app.register(codecRoutes(deps));
  // Where the console's static files are: dist/console/ unless a test gives another directory.
  await app.register(consoleRoutes(options.consoleDir));

  app.get('/health', { schema: { hide: true } }, async (_request, reply) => {
    const health = await deps.client.health();
    const ok = health.temporal === 'up' && health.postgres === 'up';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...health });
  });
  // The caller's organization only; the whole process is on the WF_METRICS_PORT listener.
  app.get('/metrics', { schema: { hide: true }, preHandler: requireRole(deps.pool, 'viewer') }, async (request, reply) => {
    const scoped = metrics.forOrganization(organizationOf(request));
    return reply.header('content-type', scoped.contentType).send(await scoped.metrics());
  });
  return app;
}
