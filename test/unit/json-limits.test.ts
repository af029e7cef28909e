/**
 * JSON nesting and U+0000 limits (DESIGN §3, README "The graph document"): a value nested
 * deeper than LIMITS.jsonDepth, or holding U+0000, is refused with the path where the limit
 * was passed, before anything recursive touches it; the API's text scan finds the same path
 * without parsing.
 */
import { describe, expect, it } from 'vitest';
import { BODY_DEPTH, tooDeepAt } from '../../src/api/json-body';
import { jsonValueProblem } from '../../src/workflows/graph/json-limits';
import { LIMITS } from '../../src/workflows/graph/sizes';
import { validateGraph, validateInput } from '../../src/workflows/graph/validate';

/** `{"a": {"a": ... leaf}}`, `levels` objects deep. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const pathOfLevel = (base: string, level: number): string => base + '.a'.repeat(level - 1);

describe('jsonValueProblem', () => {
  it('accepts exactly the limit and refuses one level more, naming the level that passed it', () => {
    expect(LIMITS.jsonDepth).toBe(64);
    expect(jsonValueProblem(nested(LIMITS.jsonDepth), '$.input')).toBeUndefined();
    expect(jsonValueProblem(nested(LIMITS.jsonDepth + 1), '$.input')).toEqual({ path: pathOfLevel('$.input', LIMITS.jsonDepth + 1), message: 'nests deeper than 64 levels of arrays and objects' });
  });

  it('counts arrays and objects alike and names array indexes and odd keys', () => {
    const value = { list: [0, [[{ 'odd key': [[]] }]]] };
    // Seven levels: the document, list, list[1], list[1][0], the object, "odd key", its element.
    expect(jsonValueProblem(value, '$', 6)).toEqual({ path: '$.list[1][0][0]["odd key"][0]', message: expect.stringContaining('deeper than 6') });
    expect(jsonValueProblem(value, '$', 5)?.path).toBe('$.list[1][0][0]["odd key"]');
    expect(jsonValueProblem(value, '$', 7)).toBeUndefined();
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonValueProblem(nested(100_000), '$')?.path).toMatch(/^\$(\.a){63}/);
  });

  it('refuses U+0000 in strings and keys', () => {
    expect(jsonValueProblem({ ok: 'x', bad: ['fine', 'a\u0000b'] }, '$.input')).toEqual({ path: '$.input.bad[1]', message: expect.stringContaining('U+0000') });
    expect(jsonValueProblem({ ['k\u0000']: 1 }, '$.input')?.path).toBe('$.input["k\\u0000"]');
  });
});

describe('validation refuses deep documents and inputs (each used to overflow the stack further on)', () => {
  it('a graph whose node config nests 3,000 levels: one problem with its path', () => {
    const result = validateGraph({ id: 'deep', version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: nested(3000) } }] });
    expect(result.ok).toBe(false);
    // The document, nodes, node and config are 4 levels: the 65th level is the 61st of `output`.
    expect(result.problems).toEqual([{ path: pathOfLevel('$.nodes[0].config.output', LIMITS.jsonDepth - 3), message: expect.stringContaining('deeper than 64') }]);
  });

  it('an input nested 3,000 levels', () => {
    expect(validateInput(nested(3000))).toEqual([{ path: pathOfLevel('$.input', 65), message: expect.stringContaining('deeper than 64') }]);
    expect(validateInput(nested(64))).toEqual([]);
  });

  it('an input with U+0000 (Postgres jsonb cannot store it)', () => {
    expect(validateInput({ s: 'a\u0000b' })).toEqual([{ path: '$.input.s', message: expect.stringContaining('U+0000') }]);
  });
});

describe('tooDeepAt (the API body scan, before parsing)', () => {
  it('finds the same path as the walk over the parsed value', () => {
    const value = { graphId: 'g', input: { list: [1, { 'odd "key"': [[{ x: nested(80) }]] }] } };
    const text = JSON.stringify(value);
    const walked = jsonValueProblem(value, '$.body', BODY_DEPTH)?.path;
    expect(walked).toBeDefined();
    expect(tooDeepAt(text, BODY_DEPTH, '$.body')).toBe(walked);
  });

  it('is not fooled by brackets, quotes and escapes inside strings', () => {
    const text = JSON.stringify({ s: '[[[[{{{{"\\"', t: ['\\', '"]]'] });
    expect(tooDeepAt(text, 2)).toBeUndefined();
    expect(tooDeepAt(text, 1)).toBe('$.t');
  });

  it('scans 1,000,000 levels (2 MB) without recursion', () => {
    expect(tooDeepAt('['.repeat(1_000_000) + ']'.repeat(1_000_000), BODY_DEPTH)).toBe('$' + '[0]'.repeat(BODY_DEPTH));
  });
});
