/** The http node's config schema as validation reports it: every problem with its JSON path. */
import { describe, expect, test } from 'vitest';
import { validateGraph } from '../../../src/workflows/graph/validate';

function problems(config: Record<string, unknown>): Record<string, string> {
  const result = validateGraph({ id: 'g', version: 1, nodes: [{ id: 'call', type: 'http', config }] });
  return Object.fromEntries(result.problems.map((problem) => [problem.path.replace('$.nodes[0].config', ''), problem.message]));
}

describe('http config', () => {
  test('a full config with expressions and secret references is valid', () => {
    expect(
      problems({
        method: 'POST',
        url: { $expr: "'https://api.test/' + input.path" },
        query: { q: { $expr: 'input.q' }, key: { $secret: 'api-key' }, many: [1, 'two', true] },
        headers: { 'X-Api-Key': { $secret: 'api-key' }, 'X-Trace': { $expr: 'input.trace' } },
        auth: { username: 'svc', password: { $secret: 'svc-password' } },
        body: { token: { $secret: 'api-key' }, data: { $expr: 'input' } },
        timeout: '10s',
        expect: ['2xx', 304, '400-404'],
        response: 'json',
        maxResponseBytes: 1024,
        followRedirects: true,
        maxRedirects: 2,
      }),
    ).toEqual({});
  });

  test('each wrong field is named with what it accepts', () => {
    const found = problems({
      method: 'FETCH',
      url: 'https://user:pw@api.test/',
      headers: { 'Idempotency-Key': 'x', 'X-A': 'a\r\nb', 'bad name': 'x' },
      query: { q: { nested: 1 } },
      auth: { token: 'x' },
      timeout: '30 seconds',
      expect: '6xx',
      response: 'xml',
      maxResponseBytes: 200 * 1024 * 1024,
      maxRedirects: 50,
    });
    expect(Object.keys(found).sort()).toEqual(['.auth', '.expect', '.headers["Idempotency-Key"]', '.headers["X-A"]', '.headers["bad name"]', '.maxRedirects', '.maxResponseBytes', '.method', '.query.q', '.response', '.timeout', '.url'].sort());
    expect(found['.url']).toContain('config.auth');
    expect(found['.headers["Idempotency-Key"]']).toContain('set by the engine');
    expect(found['.expect']).toContain('"2xx"');
  });

  test('fields that contradict each other', () => {
    expect(problems({ url: 'https://a.test/', body: {} })).toEqual({ '.body': 'a GET request has no body' });
    expect(problems({ method: 'POST', url: 'https://a.test/', body: {}, bodyText: 'x' })).toEqual({ '.bodyText': 'give either body (sent as JSON) or bodyText, not both' });
    expect(problems({ url: 'https://a.test/', auth: { bearer: 'x' }, headers: { Authorization: 'y' } })).toEqual({ '.auth': 'give either auth or an Authorization header, not both' });
    // A method still an expression is checked once rendered.
    expect(problems({ method: { $expr: 'input.m' }, url: 'https://a.test/', body: {} })).toEqual({});
  });

  test('url is required and must be http(s)', () => {
    expect(Object.keys(problems({}))).toEqual(['.url']);
    expect(problems({ url: 'file:///etc/passwd' })['.url']).toContain('http or https');
    expect(problems({ url: 'not a url' })['.url']).toContain('absolute');
  });
});
