/**
 * Refuses U+0000 anywhere in a request's path parameters, query and body before validation:
 * PostgreSQL cannot store it in text or jsonb, so an id like `a%00b` or a key name with a NUL
 * once answered 500 from the database, and an input with one broke its execution's mirror.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../client/errors';
import { jsonValueProblem } from '../workflows/graph/json-limits';
import { BODY_DEPTH } from './json-body';

function firstProblem(request: FastifyRequest) {
  return jsonValueProblem(request.params, '$.params') ?? jsonValueProblem(request.query, '$.query') ?? jsonValueProblem(request.body, '$.body', BODY_DEPTH);
}

export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = firstProblem(request);
    if (problem) throw new InvalidRequestError('request is invalid', [problem]);
  });
}
