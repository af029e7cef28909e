/**
 * The one place errors become HTTP answers: a status and `{error: {type, message, problems?}}`,
 * never a stack trace. Client errors are 4xx; anything unexpected is a bare 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AlreadyExistsError, GraphVersionConflictError, InvalidRequestError, NotFoundError, UnavailableError } from '../client';
import { sanitizeMessage } from '../common/sanitize';
import { EmbedderError } from '../knowledge/provider-embedder';
import type { ValidationProblem } from '../workflows/graph/types';
import { jsonPath } from '../workflows/graph/json-path';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function body(type: string, message: string, problems?: readonly ValidationProblem[]) {
  return { error: { type, message, ...(problems ? { problems } : {}) } };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Paths name the part of the request as clients write it: $.params.v, $.query.cursor, $.body.version.
    const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
    const problems = error.validation.flatMap((issue) => {
      const at = (issue.instancePath || '').split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      // An unknown field is named in the path, not only in the message.
      const unknown = issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys) ? (issue.params.keys as unknown[]).map(String) : [];
      if (unknown.length > 0) return unknown.map((key) => ({ path: jsonPath(`$.${where}`, [...at, key]), message: `unknown field "${key}"` }));
      return [{ path: jsonPath(`$.${where}`, at), message: issue.message ?? 'invalid' }];
    });
    return reply.status(400).send(body('InvalidRequest', `request ${where} is invalid`, problems));
  }
  if (error instanceof InvalidRequestError) return reply.status(400).send(body('InvalidRequest', error.message, error.problems));
  if (error instanceof NotFoundError) return reply.status(404).send(body('NotFound', error.message));
  if (error instanceof GraphVersionConflictError || error instanceof AlreadyExistsError) return reply.status(409).send(body('Conflict', error.message));
  if (error instanceof UnavailableError) return reply.status(503).send(body('Unavailable', sanitizeMessage(error.message)));
  if (error instanceof HttpError) return reply.status(error.statusCode).send(body(error.type, error.message));
  // A corpus's embedding provider failed a search: its fault or this server's egress rules, not the caller's request.
  if (error instanceof EmbedderError) return reply.status(error.retryable ? 503 : 502).send(body(error.type, sanitizeMessage(error.message)));
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, wrong content type.
    return reply.status(fastifyError.statusCode).send(body(fastifyError.code ?? 'BadRequest', sanitizeMessage(fastifyError.message)));
  }
  request.log.error({ err: { type: (error as Error)?.name, message: sanitizeMessage(String((error as Error)?.message ?? error)) } }, 'request failed');
  return reply.status(500).send(body('Internal', 'internal error'));
}
