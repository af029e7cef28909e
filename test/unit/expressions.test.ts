import { describe, expect, it } from 'vitest';
import {
  asExpression,
  checkExpression,
  collectExpressions,
  evaluateExpression,
  ExpressionError,
  fromCel,
  renderTemplate,
  toCel,
  type ExpressionScope,
  type ExpressionVariables,
} from '../../src/workflows/graph/expressions';
import type { Json } from '../../src/workflows/graph/types';

const execution = { id: 'exec-1', input: { orderId: 42 }, organizationId: 'org-1', graphId: 'order-pipeline', graphVersion: 3 };

function vars(input: Json, extra: Partial<ExpressionVariables> = {}): ExpressionVariables {
  return { input, execution, nodes: {}, ...extra };
}

function run(expression: string, input: Json, extra: Partial<ExpressionVariables> = {}, scope: ExpressionScope = 'config'): Json {
  return evaluateExpression(expression, vars(input, extra), '$.test', scope);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('numbers', () => {
  it('treats a JSON integer as a CEL int and returns a plain JS number', () => {
    const result = run('input.n * 2', { n: 3 });
    expect(result).toBe(6);
    expect(typeof result).toBe('number');
  });

  it('adds an int literal to an integral input (input.v + 1)', () => {
    expect(run('input.v + 1', { v: 41 })).toBe(42);
  });

  it('types integral JSON numbers as int and fractional ones as double', () => {
    expect(run('type(input.a) == int', { a: 7 })).toBe(true);
    expect(run('type(input.a) == double', { a: 7.5 })).toBe(true);
    expect(run('type(input.a) == int', { a: 7.5 })).toBe(false);
  });

  it('keeps doubles as doubles', () => {
    expect(run('input.x * 2.0', { x: 1.25 })).toBe(2.5);
    expect(run('input.x + 0.5', { x: 0.25 })).toBe(0.75);
  });

  it('uses integer division for ints and real division for doubles', () => {
    expect(run('input.n / 2', { n: 7 })).toBe(3);
    expect(run('double(input.n) / 2.0', { n: 7 })).toBe(3.5);
  });

  it('compares the source output in `when` scope: output.n > 10', () => {
    expect(run('output.n > 10', null, { output: { n: 11 } }, 'when')).toBe(true);
    expect(run('output.n > 10', null, { output: { n: 10 } }, 'when')).toBe(false);
    expect(run('output.n > 10', null, { output: { n: 10.5 } }, 'when')).toBe(true);
    expect(run('output.n <= 10', null, { output: { n: 3 } }, 'when')).toBe(true);
  });

  it('returns the largest safe integer, and fails beyond 2^53', () => {
    expect(run('9007199254740991', null)).toBe(Number.MAX_SAFE_INTEGER);
    expect(run('input.n + 1', { n: Number.MAX_SAFE_INTEGER - 1 })).toBe(Number.MAX_SAFE_INTEGER);
    const error = thrown(() => run('input.n + 2', { n: Number.MAX_SAFE_INTEGER }));
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toMatch(/2\^53/);
    expect(() => run('-9007199254740991 - 2', null)).toThrow(ExpressionError);
  });

  it('fails on a non-finite double result instead of returning Infinity', () => {
    expect(() => run('1.0 / 0.0', null)).toThrow(ExpressionError);
  });
});

describe('variables', () => {
  it('reads execution fields', () => {
    expect(run('execution.graphId + ":" + string(execution.graphVersion)', null)).toBe('order-pipeline:3');
    expect(run('execution.input.orderId + 1', null)).toBe(43);
    expect(run('execution.id', null)).toBe('exec-1');
    expect(run('execution.organizationId', null)).toBe('org-1');
  });

  it('reads nodes by id with their status and output', () => {
    const nodes = { fetch: { status: 'completed', output: { total: 5 } }, other: { status: 'skipped', output: null } };
    expect(run('nodes.fetch.output.total * 3', null, { nodes })).toBe(15);
    expect(run('nodes.other.status', null, { nodes })).toBe('skipped');
  });

  it('has no `output` variable outside `when`', () => {
    expect(() => run('output', null, { output: 1 })).toThrow(ExpressionError);
    expect(run('output', null, { output: 1 }, 'when')).toBe(1);
  });

  it('gives `output` null in `when` scope when none is passed', () => {
    expect(run('output == null', null, {}, 'when')).toBe(true);
  });
});

describe('missing fields', () => {
  it('fails with an ExpressionError naming the expression and the JSON path', () => {
    const error = thrown(() => evaluateExpression('input.missing + 1', vars({ n: 1 }), '$.nodes[2].config.output.x'));
    expect(error).toBeInstanceOf(ExpressionError);
    const e = error as ExpressionError;
    expect(e.name).toBe('ExpressionError');
    expect(e.expression).toBe('input.missing + 1');
    expect(e.path).toBe('$.nodes[2].config.output.x');
    expect(e.message).toContain('input.missing + 1');
    expect(e.message).toContain('$.nodes[2].config.output.x');
    expect(e.message).toContain('missing');
  });

  it('fails on a missing nested field and a missing node', () => {
    expect(() => run('input.a.b', { a: {} })).toThrow(ExpressionError);
    expect(() => run('nodes.nope.output', null)).toThrow(ExpressionError);
  });

  it('is not an error when guarded with has()', () => {
    expect(run('has(input.missing) ? input.missing : 0', { n: 1 })).toBe(0);
    expect(run('has(input.n) ? input.n : 0', { n: 5 })).toBe(5);
    expect(run('has(output.n) && output.n > 1', null, { output: {} }, 'when')).toBe(false);
  });

  it('keeps the first line of the library error only (no source excerpt or stack)', () => {
    const error = thrown(() => run('input.missing', {})) as Error;
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });
});

describe('results come back as plain JSON', () => {
  it('maps, lists, strings, booleans and null', () => {
    const result = run('{"a": input.n, "b": [1, 2.5, "x", true, null], "c": {"d": input.s + "!"}}', { n: 3, s: 'hi' });
    expect(result).toEqual({ a: 3, b: [1, 2.5, 'x', true, null], c: { d: 'hi!' } });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('turns every bigint into a number, deeply', () => {
    const result = run('input.list.map(x, x * 10)', { list: [1, 2, 3] });
    expect(result).toEqual([10, 20, 30]);
    for (const item of result as number[]) expect(typeof item).toBe('number');
  });

  it('passes input values through unchanged', () => {
    const input = { a: [1, { b: 2.5, c: 'x' }], d: null, e: false, f: -7 };
    expect(run('input', input)).toEqual(input);
  });

  it('renders timestamps as ISO strings and rejects bytes', () => {
    expect(run('timestamp("2024-01-02T03:04:05Z")', null)).toBe('2024-01-02T03:04:05.000Z');
    expect(() => run('b"abc"', null)).toThrow(ExpressionError);
  });

  it('toCel makes integral numbers bigint, leaves doubles, recurses', () => {
    expect(toCel({ a: 1, b: [2, 2.5], c: 'x', d: null })).toEqual({ a: 1n, b: [2n, 2.5], c: 'x', d: null });
  });

  it('fromCel reports the path of an unrepresentable value', () => {
    expect(() => fromCel({ a: [1n, 2n ** 60n] })).toThrow(/\$\.a\[1\]/);
    expect(fromCel(new Map<unknown, unknown>([['k', 5n]]))).toEqual({ k: 5 });
    expect(fromCel(undefined)).toBeNull();
  });
});

describe('checkExpression', () => {
  it('accepts well-formed expressions', () => {
    expect(checkExpression('input.n * 2', 'config')).toEqual([]);
    expect(checkExpression('output.n > 10', 'when')).toEqual([]);
    expect(checkExpression('size(input.items) > 2', 'config')).toEqual([]);
    expect(checkExpression('input.items.exists(x, x > 1)', 'config')).toEqual([]);
  });

  it('reports expressions that do not parse', () => {
    const problems = checkExpression('input.n *', 'config');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/does not parse/);
  });

  it('reports unknown variables and type errors', () => {
    expect(checkExpression('foo.bar', 'config')[0]).toMatch(/does not type-check.*foo/);
    expect(checkExpression('1 + "a"', 'config')[0]).toMatch(/does not type-check/);
    expect(checkExpression('unknownFn(1)', 'config')[0]).toMatch(/does not type-check/);
  });

  it('knows `output` only in `when` scope', () => {
    expect(checkExpression('output.ok', 'when')).toEqual([]);
    expect(checkExpression('output.ok', 'config')[0]).toMatch(/output/);
  });

  it('rejects nested comprehensions (cost bound)', () => {
    for (const expression of [
      'input.a.map(x, input.b.map(y, y))',
      'input.a.all(x, input.b.exists(y, y == x))',
      'input.a.filter(x, input.b.exists_one(y, y == x))',
      'input.a.exists(x, x.items.map(y, y * 2).size() > 0)',
    ]) {
      const problems = checkExpression(expression, 'config');
      expect(problems, expression).toHaveLength(1);
      expect(problems[0], expression).toMatch(/nested comprehensions/);
    }
  });

  it('allows one comprehension, and comprehensions chained one after another', () => {
    expect(checkExpression('input.a.map(x, x * 2)', 'config')).toEqual([]);
    expect(checkExpression('input.a.filter(x, x > 1).map(y, y * 2)', 'config')).toEqual([]);
    expect(checkExpression('input.a.exists(x, x > 1) && input.b.all(y, y > 0)', 'config')).toEqual([]);
    expect(run('input.a.filter(x, x > 1).map(y, y * 2)', { a: [1, 2, 3] })).toEqual([4, 6]);
  });

  it('rejects overlong expressions', () => {
    const long = Array.from({ length: 1500 }, () => '1').join(' + ');
    expect(long.length).toBeGreaterThan(4096);
    expect(checkExpression(long, 'config')[0]).toMatch(/longer than 4096/);
  });

  it('rejects expressions too deep for the limits', () => {
    const deep = `${'('.repeat(100)}1${')'.repeat(100)}`;
    expect(checkExpression(deep, 'config')).not.toEqual([]);
  });
});

describe('asExpression / collectExpressions / renderTemplate', () => {
  it('recognises only a one-key object {"$expr": string}', () => {
    expect(asExpression({ $expr: 'input' })).toBe('input');
    expect(asExpression({ $expr: 'input', other: 1 })).toBeUndefined();
    expect(asExpression({ $expr: 5 })).toBeUndefined();
    expect(asExpression(['$expr'])).toBeUndefined();
    expect(asExpression('input')).toBeUndefined();
    expect(asExpression(null)).toBeUndefined();
  });

  it('collects every expression with its JSON path', () => {
    const template = {
      output: { n: { $expr: 'input.n * 2' }, list: [1, { $expr: 'input.a' }, [{ deep: { $expr: 'input.b' } }]] },
      literal: 'text',
      'odd key': { $expr: 'input.c' },
    };
    expect(collectExpressions(template, '$.nodes[0].config')).toEqual([
      { expression: 'input.n * 2', path: '$.nodes[0].config.output.n' },
      { expression: 'input.a', path: '$.nodes[0].config.output.list[1]' },
      { expression: 'input.b', path: '$.nodes[0].config.output.list[2][0].deep' },
      { expression: 'input.c', path: '$.nodes[0].config["odd key"]' },
    ]);
  });

  it('collects a top-level expression at the base path, and nothing from literals', () => {
    expect(collectExpressions({ $expr: 'nodes.a.output' }, '$.settings.output')).toEqual([
      { expression: 'nodes.a.output', path: '$.settings.output' },
    ]);
    expect(collectExpressions({ a: [1, 'x', null, { b: true }] }, '$')).toEqual([]);
    expect(collectExpressions(undefined, '$')).toEqual([]);
  });

  it('renders a template, evaluating every expression and keeping literals', () => {
    const template = { n: { $expr: 'input.n * 2' }, fixed: [1, 'a', null, true], nested: { sum: { $expr: 'input.n + input.m' } } };
    expect(renderTemplate(template, vars({ n: 3, m: 4 }), '$.c')).toEqual({ n: 6, fixed: [1, 'a', null, true], nested: { sum: 7 } });
    expect(renderTemplate({ $expr: 'input' }, vars({ x: 1 }), '$.c')).toEqual({ x: 1 });
    expect(renderTemplate(undefined, vars(null), '$.c')).toBeNull();
  });

  it('names the JSON path of the failing expression inside the template', () => {
    const error = thrown(() =>
      renderTemplate({ output: { list: [0, { $expr: 'input.nope' }] } }, vars({}), '$.nodes[1].config'),
    ) as ExpressionError;
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.path).toBe('$.nodes[1].config.output.list[1]');
    expect(error.expression).toBe('input.nope');
    expect(error.message).toContain('$.nodes[1].config.output.list[1]');
  });
});
