/**
 * The OpenAPI document at /docs/json, as a client generator reads it: it passes a real
 * validator (@apidevtools/swagger-parser, which also resolves every $ref), and every
 * operation documents its answers: a success with a body schema (or a bodiless 204) and the
 * shared error body for 4XX and 5XX. Built from the app itself; no request reaches the engine.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import type { ApiDeps } from '../../src/api/deps';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses?: Record<string, Response>;
}
type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

let app: FastifyInstance;
let document: Document;

beforeAll(async () => {
  // Building the document touches neither Temporal nor Postgres.
  app = await buildApi({ client: {}, pool: {} } as unknown as ApiDeps);
  await app.ready();
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  document = response.json();
});

afterAll(async () => {
  await app?.close();
});

test('the document passes swagger-parser validation, every $ref resolved', async () => {
  // validate() dereferences in place: give it a copy.
  await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  expect(Object.keys(document.components?.schemas ?? {})).toEqual(expect.arrayContaining(['JsonValue', 'Error']));
});

test('every operation documents a success body (or a bodiless 204) and the error body for 4XX and 5XX', () => {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));
  expect(operations.length).toBeGreaterThanOrEqual(22);
  for (const { name, operation } of operations) {
    const responses = operation.responses ?? {};
    const successes = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
    expect(successes, name).not.toEqual([]);
    for (const status of successes) {
      if (status === '204') {
        expect(responses[status].content, `${name} ${status}`).toBeUndefined();
        continue;
      }
      const media = Object.values(responses[status].content ?? {});
      expect(media.length, `${name} ${status}`).toBeGreaterThan(0);
      for (const { schema } of media) expect(schema, `${name} ${status}`).toEqual(expect.any(Object));
    }
    for (const status of ['4XX', '5XX']) {
      expect(responses[status]?.content?.['application/json']?.schema, `${name} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
    }
  }
});
