import { z } from 'zod';
import { EXPECT_RULE, parseStatusSet } from '../http-status-set';
import { secretRefSchema, stringOrSecret } from '../secret-ref';
import { DURATION_RULE, durationMs, isDuration } from '../durations';
import { expressionSchema, literal, withSchemas, type ActivityNodeType } from './common';

/**
 * `http`: one HTTP request per attempt (DESIGN §10); the activity is
 * src/activities/nodes/http/. Every field may be an expression; `headers`, `query`, `body`
 * and `auth` may hold `{ "$secret": "name" }` references, resolved only by the activity.
 * Output `{ status, headers, body }`.
 */

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const DEFAULT_HTTP_TIMEOUT = '30s';
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const MAX_RESPONSE_BYTES_LIMIT = 100 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Headers the engine or the HTTP client sets itself: a config that names one is refused. */
const RESERVED_HEADERS = new Set(['idempotency-key', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/;

/** The problem with a header name in config, if any. */
function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return 'a header name is 1-256 token characters (letters, digits, !#$%&\'*+-.^_`|~)';
  if (RESERVED_HEADERS.has(name.toLowerCase())) return `header "${name}" is set by the engine or the HTTP client, not by config`;
  return undefined;
}

/** The field schemas of both shapes (as written, as rendered), built with them on first use. */
function httpFields() {
  // A literal value with CR or LF would split the request; a secret's value is checked by the client.
  const headerValue = z.union([z.string().max(16_384).regex(/^[^\r\n]*$/, { message: 'a header value may not hold CR or LF' }), secretRefSchema]);
  const QUERY_RULE = 'a query value is a string, a number, a boolean or a {"$secret": name}, or a list of them';
  const queryScalar = z.union([z.string().max(16_384), z.number(), z.boolean(), secretRefSchema], { error: QUERY_RULE });
  const queryValue = z.union([queryScalar, z.array(queryScalar).max(100)], { error: QUERY_RULE });

  const httpUrl = z
    .string()
    .max(8192)
    .superRefine((text, context) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        context.addIssue({ code: 'custom', message: 'url must be an absolute http:// or https:// URL' });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') context.addIssue({ code: 'custom', message: `url must use http or https, not ${url.protocol.slice(0, -1)}` });
      // Credentials in a URL would sit in the graph, its history and the mirror in plain text.
      if (url.username || url.password) context.addIssue({ code: 'custom', message: 'url may not carry credentials: give them as config.auth ({username, password}, each may be a {"$secret": ...})' });
    });

  const statusItem = z.union([z.number(), z.string().max(32)]);
  const expectSchema = z.union([statusItem, z.array(statusItem).min(1).max(50)]).refine((value) => parseStatusSet(value) !== undefined, { message: EXPECT_RULE });

  const timeoutSchema = z.string().superRefine((text, context) => {
    if (!isDuration(text)) context.addIssue({ code: 'custom', message: DURATION_RULE });
    else if (durationMs(text) === 0) context.addIssue({ code: 'custom', message: 'timeout must be more than 0' });
  });

  const authSchema = z.union([z.strictObject({ username: stringOrSecret, password: stringOrSecret }), z.strictObject({ bearer: stringOrSecret })], {
    error: 'auth is {username, password} (sent as Basic) or {bearer} (sent as Bearer); each value a string or a {"$secret": name}',
  });
  return { headerValue, queryValue, httpUrl, expectSchema, timeoutSchema, authSchema };
}

const isExpression = (value: unknown): boolean => expressionSchema.safeParse(value).success;

/**
 * A field as written: an expression (checked by validation on its own), or a value of
 * `schema`. Like `templated`, but a wrong value is reported with the schema's own words and
 * paths instead of a union's bare "Invalid input".
 */
function orExpression<T extends z.ZodType>(schema: T) {
  return z.unknown().superRefine((value, context) => {
    if (isExpression(value)) return;
    const checked = schema.safeParse(value);
    if (!checked.success) for (const issue of checked.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
}

/**
 * The config as written (`asWritten`: every field may also be an expression) or as rendered.
 * Both share this one shape; the static type is the rendered one, which is all the activity
 * sees (a written config is only ever checked, as the registry's `z.ZodType`).
 */
function httpConfig(asWritten: boolean, { headerValue, queryValue, httpUrl, expectSchema, timeoutSchema, authSchema } = httpFields()) {
  const field = <T extends z.ZodType>(schema: T): T => (asWritten ? orExpression(schema) : literal(schema)) as T;
  // Checked by name in a refinement (not a key schema) so that a refusal names the header.
  const headers = z.record(z.string(), field(headerValue)).superRefine((record, context) => {
    for (const name of Object.keys(record)) {
      const problem = headerNameProblem(name);
      if (problem) context.addIssue({ code: 'custom', path: [name], message: problem });
    }
  });
  return z
    .strictObject({
      method: field(z.enum(HTTP_METHODS)).optional(),
      url: field(httpUrl),
      query: field(z.record(z.string().min(1).max(1024), field(queryValue))).optional(),
      headers: field(headers).optional(),
      auth: field(authSchema).optional(),
      body: z.unknown().optional(),
      bodyText: field(stringOrSecret).optional(),
      timeout: field(timeoutSchema).optional(),
      expect: field(expectSchema).optional(),
      response: field(z.enum(['json', 'text', 'auto'])).optional(),
      maxResponseBytes: field(z.number().int().min(1).max(MAX_RESPONSE_BYTES_LIMIT)).optional(),
      followRedirects: field(z.boolean()).optional(),
      maxRedirects: field(z.number().int().min(0).max(20)).optional(),
    })
    .superRefine((config, context) => {
      for (const problem of consistencyProblems(config)) context.addIssue({ code: 'custom', ...problem });
    });
}


/** Problems between fields; a field still an expression is checked once it is rendered. */
function consistencyProblems(config: { method?: unknown; body?: unknown; bodyText?: unknown; headers?: unknown; auth?: unknown }): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (config.body !== undefined && config.bodyText !== undefined) problems.push({ path: ['bodyText'], message: 'give either body (sent as JSON) or bodyText, not both' });
  const method = isExpression(config.method) ? undefined : ((config.method as string | undefined) ?? 'GET');
  if ((method === 'GET' || method === 'HEAD') && (config.body !== undefined || config.bodyText !== undefined)) {
    problems.push({ path: [config.body !== undefined ? 'body' : 'bodyText'], message: `a ${method} request has no body` });
  }
  const headers = config.headers;
  if (config.auth !== undefined && headers && typeof headers === 'object' && !isExpression(headers)) {
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) problems.push({ path: ['auth'], message: 'give either auth or an Authorization header, not both' });
  }
  return problems;
}

/** The rendered config the http activity receives (both shapes have its static type). */
export type HttpConfig = z.infer<ReturnType<typeof httpConfig>>;

export const http = withSchemas(
  'http',
  {
    runtime: 'activity',
    // An undo call (DELETE what a POST made) is a common compensation.
    compensable: true,
    acceptsSecrets: true,
    // It heartbeats every second while the request runs (src/activities/nodes/http/run.ts);
    // 5 s leaves room for a busy event loop while noticing a lost attempt quickly.
    defaultHeartbeatTimeoutMs: 5000,
  },
  () => {
    const fields = httpFields();
    return { config: httpConfig(true, fields), rendered: httpConfig(false, fields) };
  },
) satisfies ActivityNodeType<HttpConfig>;
