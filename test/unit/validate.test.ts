import { describe, expect, it } from 'vitest';
import { findCycle, jsonPath, validateGraph, validateInput } from '../../src/workflows/graph/validate';
import type { ValidationProblem } from '../../src/workflows/graph/types';

type Doc = Record<string, unknown>;

/** A small valid document; tests change one thing at a time. */
function baseDoc(): Doc {
  return {
    id: 'order-pipeline',
    version: 3,
    name: 'Order pipeline',
    settings: {
      maxParallelism: 16,
      deadline: '10m',
      onFailure: 'dlq',
      concurrency: { key: "'graph:' + execution.graphId", max: 3 },
      output: { $expr: 'nodes.total.output' },
    },
    nodes: [
      {
        id: 'fetch',
        type: 'mock',
        config: { output: { n: { $expr: 'input.n * 2' } } },
        retry: { maxAttempts: 5, initialInterval: '1s', backoffCoefficient: 2, maxInterval: '1m', nonRetryable: ['BadRequest'] },
        timeout: { startToClose: '30s', heartbeat: '10s' },
        compensate: { type: 'mock', config: {} },
        join: 'all',
      },
      { id: 'big', type: 'noop' },
      { id: 'small', type: 'delay', config: { duration: '5s' } },
      { id: 'oops', type: 'transform', config: { output: { failed: { $expr: 'input.error.nodeId' } } } },
      { id: 'total', type: 'noop', join: 'any' },
    ],
    edges: [
      { from: 'fetch', to: 'big', when: 'output.n > 10' },
      { from: 'fetch', to: 'small', when: 'output.n <= 10' },
      { from: 'fetch', to: 'oops', on: 'error' },
      { from: 'big', to: 'total' },
      { from: 'small', to: 'total', on: 'always' },
    ],
  };
}

function problemsOf(document: unknown): ValidationProblem[] {
  const result = validateGraph(document);
  expect(result.ok).toBe(false);
  return result.problems;
}

/** Asserts one problem at `path` whose message matches. */
function expectProblem(problems: ValidationProblem[], path: string, message: RegExp): void {
  const found = problems.filter((problem) => problem.path === path && message.test(problem.message));
  expect(found, `expected a problem at ${path} matching ${message}; got ${JSON.stringify(problems, null, 1)}`).not.toHaveLength(0);
}

const node = (id: string, extra: Doc = {}): Doc => ({ id, type: 'noop', ...extra });
const doc = (nodes: Doc[], edges: Doc[] = [], extra: Doc = {}): Doc => ({ id: 'g', version: 1, nodes, edges, ...extra });

describe('a valid document', () => {
  it('returns ok with the parsed graph', () => {
    const input = baseDoc();
    const result = validateGraph(input);
    expect(result).toMatchObject({ ok: true, problems: [] });
    if (!result.ok) throw new Error('unreachable');
    expect(result.graph).toEqual(input);
  });

  it('fills in edges [] when the document has none', () => {
    const result = validateGraph({ id: 'one', version: 1, nodes: [{ id: 'only', type: 'noop' }] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.graph.edges).toEqual([]);
  });

  it('accepts every known node type with a fitting config', () => {
    const result = validateGraph(
      doc([
        node('a'),
        node('b', { type: 'noop', config: {} }),
        node('c', { type: 'transform', config: { output: [1, { $expr: 'input' }] } }),
        node('d', { type: 'mock', config: { output: 'x', delayMs: 10, failAttempts: 1, fail: { type: 'Boom', message: 'm', nonRetryable: true }, heartbeat: true } }),
        node('e', { type: 'mock' }),
        node('f', { type: 'delay', config: { duration: { $expr: "'1s'" } } }),
        node('g', { type: 'mock', config: { delayMs: { $expr: 'input.ms' } } }),
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('is deterministic: the same document gives the same answer', () => {
    expect(validateGraph(baseDoc())).toEqual(validateGraph(baseDoc()));
  });
});

describe('document shape', () => {
  it('rejects a non-object document at $', () => {
    for (const bad of [null, 'graph', 42, [], true]) {
      expect(validateGraph(bad)).toEqual({ ok: false, problems: [{ path: '$', message: expect.stringMatching(/JSON object/) }] });
    }
  });

  it('requires at least one node', () => {
    expectProblem(problemsOf(doc([])), '$.nodes', /at least one node/);
  });

  it('reports wrong field types with their paths', () => {
    const problems = problemsOf({ ...baseDoc(), version: 0, settings: { maxParallelism: 0, deadline: 'soon', onFailure: 'explode' } });
    expectProblem(problems, '$.version', /./);
    expectProblem(problems, '$.settings.maxParallelism', /./);
    expectProblem(problems, '$.settings.deadline', /duration/);
    expectProblem(problems, '$.settings.onFailure', /./);
  });

  it('refuses durations past the documented maximum and versions past the stored range', () => {
    // "999999999d" validated once and then failed every workflow task (an invalid deadline date).
    const problems = problemsOf({ ...baseDoc(), version: 2_147_483_648, settings: { deadline: '999999999d' } });
    expectProblem(problems, '$.version', /./);
    expectProblem(problems, '$.settings.deadline', /at most 365d/);
    expectProblem(problemsOf(doc([node('a', { timeout: { startToClose: '366d' } })])), '$.nodes[0].timeout.startToClose', /at most 365d/);
    expectProblem(problemsOf(doc([node('a', { type: 'delay', config: { duration: '8761h' } })])), '$.nodes[0].config.duration', /at most 365d/);
    expect(validateGraph({ ...baseDoc(), version: 2_147_483_647, settings: { ...(baseDoc().settings as Doc), deadline: '365d' } }).ok).toBe(true);
    expect(validateGraph(doc([node('a', { type: 'delay', config: { duration: '8760h' } })])).ok).toBe(true);
  });

  it('reports unknown keys and bad node fields', () => {
    const problems = problemsOf(
      doc([node('a', { join: 'some', retry: { maxAttempts: 0 }, timeout: { startToClose: '5 minutes' }, colour: 'red' })], [], { extra: 1 }),
    );
    expectProblem(problems, '$', /extra/);
    expectProblem(problems, '$.nodes[0]', /colour/);
    expectProblem(problems, '$.nodes[0].join', /./);
    expectProblem(problems, '$.nodes[0].retry.maxAttempts', /./);
    expectProblem(problems, '$.nodes[0].timeout.startToClose', /duration/);
  });

  it('reports a bad edge `on`', () => {
    const problems = problemsOf(doc([node('a'), node('b')], [{ from: 'a', to: 'b', on: 'sometimes' }]));
    expectProblem(problems, '$.edges[0].on', /./);
  });
});

describe('ids', () => {
  it('reports a malformed graph id', () => {
    for (const id of ['Order', '-x', '', 'a b', 'x'.repeat(65), '_a']) {
      expectProblem(problemsOf({ ...baseDoc(), id }), '$.id', /graph id must match/);
    }
  });

  it('accepts graph ids of the documented pattern', () => {
    for (const id of ['a', '0', 'order-pipeline.v2_x', 'a'.repeat(64)]) {
      expect(validateGraph({ ...baseDoc(), id }).ok, id).toBe(true);
    }
  });

  it('reports malformed node ids', () => {
    const problems = problemsOf(doc([node('ok'), node('1bad'), node('has-dash'), node(''), node('x'.repeat(65))]));
    for (const index of [1, 2, 3, 4]) expectProblem(problems, `$.nodes[${index}].id`, /node id/);
    expect(problems.some((problem) => problem.path === '$.nodes[0].id')).toBe(false);
  });

  it('reports a node without an id', () => {
    expectProblem(problemsOf(doc([{ type: 'noop' }])), '$.nodes[0].id', /./);
  });

  it('reports each duplicate node id at the later occurrence, naming the first', () => {
    const problems = problemsOf(doc([node('a'), node('b'), node('a'), node('a')]));
    expectProblem(problems, '$.nodes[2].id', /duplicate node id "a".*\$\.nodes\[0\]/);
    expectProblem(problems, '$.nodes[3].id', /duplicate node id "a".*\$\.nodes\[0\]/);
    expect(problems.filter((problem) => /duplicate/.test(problem.message))).toHaveLength(2);
  });
});

describe('edges', () => {
  it('reports edges from and to unknown nodes', () => {
    const problems = problemsOf(doc([node('a'), node('b')], [{ from: 'a', to: 'b' }, { from: 'a', to: 'ghost' }, { from: 'nobody', to: 'b' }]));
    expectProblem(problems, '$.edges[1].to', /unknown node "ghost"/);
    expectProblem(problems, '$.edges[2].from', /unknown node "nobody"/);
    expect(problems.filter((problem) => problem.path.startsWith('$.edges[0]'))).toEqual([]);
  });

  it('reports an edge missing its ends', () => {
    const problems = problemsOf(doc([node('a')], [{ to: 'a' }]));
    expectProblem(problems, '$.edges[0].from', /./);
  });
});

describe('cycles', () => {
  it('names one cycle, at the edge that closes it', () => {
    const problems = problemsOf(doc([node('root'), node('a'), node('b')], [{ from: 'root', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }]));
    expectProblem(problems, '$.edges[2]', /cycle: a -> b -> a$/);
  });

  it('reports a self-loop', () => {
    const problems = problemsOf(doc([node('root'), node('a')], [{ from: 'root', to: 'a' }, { from: 'a', to: 'a' }]));
    expectProblem(problems, '$.edges[1]', /cycle: a -> a$/);
  });

  it('reports a longer cycle with every step an edge of the graph', () => {
    const problems = problemsOf(
      doc([node('s'), node('p'), node('q'), node('r')], [{ from: 's', to: 'p' }, { from: 'p', to: 'q' }, { from: 'q', to: 'r' }, { from: 'r', to: 'p' }]),
    );
    const cycle = problems.find((problem) => /cycle/.test(problem.message));
    expect(cycle?.message).toMatch(/cycle: p -> q -> r -> p$/);
  });

  it('does not report a diamond as a cycle', () => {
    const result = validateGraph(doc([node('a'), node('b'), node('c'), node('d')], [
      { from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' },
    ]));
    expect(result.problems).toEqual([]);
  });
});

describe('findCycle', () => {
  it('returns undefined for a DAG and for no edges', () => {
    expect(findCycle(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'c' }])).toBeUndefined();
    expect(findCycle(['a'], [])).toBeUndefined();
  });

  it('returns the cycle, first node repeated at the end', () => {
    expect(findCycle(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'b' }])).toEqual(['b', 'c', 'b']);
  });

  it('handles a 10,000-node chain without overflowing the stack', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ from: ids[i], to: id }));
    expect(findCycle(ids, edges)).toBeUndefined();
    const cycle = findCycle(ids, [...edges, { from: ids[ids.length - 1], to: ids[0] }]);
    expect(cycle).toHaveLength(10_001);
  });
});

describe('node types and config', () => {
  it('reports an unknown node type, also for compensate', () => {
    const problems = problemsOf(doc([node('a', { type: 'teleport' }), node('b', { type: 'mock', compensate: { type: 'undo' } })]));
    expectProblem(problems, '$.nodes[0].type', /unknown node type "teleport"/);
    expectProblem(problems, '$.nodes[1].compensate.type', /unknown node type "undo"/);
  });

  it('does not accept prototype names as node types', () => {
    expectProblem(problemsOf(doc([node('a', { type: 'toString' })])), '$.nodes[0].type', /unknown node type/);
    expectProblem(problemsOf(doc([node('a', { type: '__proto__' })])), '$.nodes[0].type', /unknown node type/);
  });

  it('noop: takes no config keys', () => {
    expectProblem(problemsOf(doc([node('a', { config: { x: 1 } })])), '$.nodes[0].config', /x/);
  });

  it('transform: requires config.output', () => {
    expectProblem(problemsOf(doc([node('a', { type: 'transform' })])), '$.nodes[0].config', /./);
    expectProblem(problemsOf(doc([node('a', { type: 'transform', config: { output: 1, more: 2 } })])), '$.nodes[0].config', /more/);
  });

  it('mock: checks each field', () => {
    const problems = problemsOf(
      doc([
        node('a', {
          type: 'mock',
          config: { delayMs: -1, failAttempts: 1.5, fail: { type: '', nonRetryable: 'yes' }, heartbeat: 'on', extra: true },
        }),
      ]),
    );
    expectProblem(problems, '$.nodes[0].config.delayMs', /./);
    expectProblem(problems, '$.nodes[0].config.failAttempts', /./);
    expectProblem(problems, '$.nodes[0].config.fail.type', /./);
    expectProblem(problems, '$.nodes[0].config.fail.nonRetryable', /./);
    expectProblem(problems, '$.nodes[0].config.heartbeat', /./);
    expectProblem(problems, '$.nodes[0].config', /extra/);
  });

  it('delay: requires a duration string', () => {
    expectProblem(problemsOf(doc([node('a', { type: 'delay' })])), '$.nodes[0].config', /./);
    expectProblem(problemsOf(doc([node('a', { type: 'delay', config: { duration: 'soon' } })])), '$.nodes[0].config.duration', /./);
    expectProblem(problemsOf(doc([node('a', { type: 'delay', config: { duration: 30 } })])), '$.nodes[0].config.duration', /./);
  });

  it('wait: refuses a signal name the engine or Temporal keeps for itself', () => {
    expectProblem(problemsOf(doc([node('a', { type: 'wait', config: { signal: 'slotGranted' } })])), '$.nodes[0].config.signal', /"slotGranted" is reserved/);
    expectProblem(problemsOf(doc([node('a', { type: 'wait', config: { signal: '__temporal_x' } })])), '$.nodes[0].config.signal', /"__temporal_x" is reserved/);
    expect(validateGraph(doc([node('a', { type: 'wait', config: { signal: 'slot_granted' } })])).problems).toEqual([]);
  });

  it('checks the compensate config against its type', () => {
    const problems = problemsOf(doc([node('a', { type: 'mock', compensate: { type: 'mock', config: { delayMs: 'slow' } } })]));
    expectProblem(problems, '$.nodes[0].compensate.config.delayMs', /./);
  });

  it('accepts only compensable types as a compensation (an inline or workflow-side type cannot undo anything)', () => {
    for (const type of ['noop', 'transform', 'delay', 'wait']) {
      const problems = problemsOf(doc([node('a', { type: 'mock', compensate: { type } })]));
      expectProblem(problems, '$.nodes[0].compensate.type', new RegExp(`node type "${type}" cannot run as a compensation \\(compensable types: mock, http\\)`));
    }
    expect(validateGraph(doc([node('a', { type: 'mock', compensate: { type: 'mock' } })])).problems).toEqual([]);
  });

  it('still checks the config of a node whose id is malformed or missing', () => {
    const problems = problemsOf(doc([{ type: 'delay', config: { duration: 'soon' } }, node('9', { type: 'nope' })]));
    expectProblem(problems, '$.nodes[0].id', /./);
    expectProblem(problems, '$.nodes[0].config.duration', /./);
    expectProblem(problems, '$.nodes[1].id', /node id/);
    expectProblem(problems, '$.nodes[1].type', /unknown node type "nope"/);
  });
});

describe('expressions', () => {
  it('reports an edge `when` that does not parse', () => {
    const problems = problemsOf(doc([node('a'), node('b')], [{ from: 'a', to: 'b', when: 'output.n >' }]));
    expectProblem(problems, '$.edges[0].when', /does not parse/);
  });

  it('reports a `when` that does not type-check', () => {
    const problems = problemsOf(doc([node('a'), node('b')], [{ from: 'a', to: 'b', when: 'result.n > 1' }]));
    expectProblem(problems, '$.edges[0].when', /does not type-check.*result/);
  });

  it('allows `output` in `when`, but not in config or settings', () => {
    expect(validateGraph(doc([node('a'), node('b')], [{ from: 'a', to: 'b', when: 'output.ok' }])).ok).toBe(true);
    expectProblem(
      problemsOf(doc([node('a', { type: 'transform', config: { output: { x: { $expr: 'output.y' } } } })])),
      '$.nodes[0].config.output.x',
      /type-check.*output/,
    );
    expectProblem(problemsOf(doc([node('a')], [], { settings: { output: { $expr: 'output' } } })), '$.settings.output', /output/);
  });

  it('reports $expr problems inside config with the JSON path of the expression', () => {
    const problems = problemsOf(
      doc([node('a', { type: 'mock', config: { output: { list: [1, { $expr: 'input.' }], 'my key': { $expr: '1 + "x"' } } } })]),
    );
    expectProblem(problems, '$.nodes[0].config.output.list[1]', /does not parse/);
    expectProblem(problems, '$.nodes[0].config.output["my key"]', /does not type-check/);
  });

  it('reports $expr problems in the compensate config', () => {
    const problems = problemsOf(doc([node('a', { type: 'mock', compensate: { type: 'mock', config: { output: { $expr: '((' } } } })]));
    expectProblem(problems, '$.nodes[0].compensate.config.output', /does not parse/);
  });

  it('reports settings.output expressions, also nested', () => {
    const problems = problemsOf(doc([node('a')], [], { settings: { output: { a: { $expr: 'nodes.a.output' }, b: [{ $expr: 'nodes.a.' }] } } }));
    expectProblem(problems, '$.settings.output.b[0]', /does not parse/);
    expect(problems.some((problem) => problem.path === '$.settings.output.a')).toBe(false);
  });

  it('reports a settings.concurrency.key that does not parse or type-check', () => {
    expectProblem(problemsOf(doc([node('a')], [], { settings: { concurrency: { key: "'k' +", max: 1 } } })), '$.settings.concurrency.key', /does not parse/);
    expectProblem(problemsOf(doc([node('a')], [], { settings: { concurrency: { key: 'tenant.id', max: 1 } } })), '$.settings.concurrency.key', /type-check/);
  });

  it('rejects nested comprehensions anywhere', () => {
    const nested = 'input.a.exists(x, input.b.exists(y, y == x))';
    const problems = problemsOf(
      doc([node('a', { type: 'transform', config: { output: { $expr: `input.a.map(x, input.b.map(y, x + y))` } } }), node('b')], [{ from: 'a', to: 'b', when: nested }]),
    );
    expectProblem(problems, '$.nodes[0].config.output', /nested comprehensions/);
    expectProblem(problems, '$.edges[0].when', /nested comprehensions/);
  });

  it('checks the `when` of an edge whose ends are malformed', () => {
    const problems = problemsOf(doc([node('a')], [{ from: 7, to: 'a', when: 'output.' }]));
    expectProblem(problems, '$.edges[0].from', /./);
    expectProblem(problems, '$.edges[0].when', /does not parse/);
  });
});

describe('unreachable nodes', () => {
  it('reports nodes that no path from a root reaches', () => {
    // root -> a;  x <-> y form a closed loop nobody enters.
    const problems = problemsOf(doc([node('root'), node('a'), node('x'), node('y')], [
      { from: 'root', to: 'a' }, { from: 'x', to: 'y' }, { from: 'y', to: 'x' },
    ]));
    expectProblem(problems, '$.nodes[2]', /node "x" is unreachable/);
    expectProblem(problems, '$.nodes[3]', /node "y" is unreachable/);
    expect(problems.some((problem) => /"root"|"a" is unreachable/.test(problem.message))).toBe(false);
  });

  it('counts every node without incoming edges as a root', () => {
    expect(validateGraph(doc([node('a'), node('b'), node('c')], [{ from: 'b', to: 'c' }])).ok).toBe(true);
  });

  it('reaches a node through a cycle entered from a root, reporting only the cycle', () => {
    const problems = problemsOf(doc([node('r'), node('a'), node('b')], [{ from: 'r', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }]));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/cycle/);
  });
});

describe('size limits', () => {
  /** A one-node document padded so that its JSON is exactly `bytes` bytes of UTF-8. */
  function docOfBytes(bytes: number, fill = 'x'): Doc {
    const make = (pad: string): Doc => doc([node('a', { type: 'transform', config: { output: pad } })]);
    const overhead = Buffer.byteLength(JSON.stringify(make('')));
    const fillBytes = Buffer.byteLength(fill);
    const count = Math.floor((bytes - overhead) / fillBytes);
    const rest = bytes - overhead - count * fillBytes;
    const result = make(fill.repeat(count) + 'x'.repeat(rest));
    expect(Buffer.byteLength(JSON.stringify(result))).toBe(bytes);
    return result;
  }

  it('accepts a document of exactly 1 MiB and rejects one byte more', () => {
    expect(validateGraph(docOfBytes(1024 * 1024)).ok).toBe(true);
    expectProblem(problemsOf(docOfBytes(1024 * 1024 + 1)), '$', /1048577 bytes.*1048576/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes, '😀' is 4: the character count stays well under the limit.
    expectProblem(problemsOf(docOfBytes(1024 * 1024 + 3, 'é')), '$', /over the limit/);
    expectProblem(problemsOf(docOfBytes(1024 * 1024 + 2, '😀')), '$', /over the limit/);
    expect(validateGraph(docOfBytes(1024 * 1024, '😀')).ok).toBe(true);
  });

  it('accepts 10,000 nodes and rejects 10,001', () => {
    const many = (count: number): Doc => doc(Array.from({ length: count }, (_, i) => node(`n${i}`)));
    expect(validateGraph(many(10_000)).ok).toBe(true);
    const problems = problemsOf(many(10_001));
    expectProblem(problems, '$.nodes', /10001 nodes.*10000/);
    expect(problems).toHaveLength(1);
  });

  it('limits the execution input to 256 KiB', () => {
    const inputOf = (bytes: number): string => 'x'.repeat(bytes - 2); // JSON adds two quotes
    expect(validateInput(inputOf(256 * 1024))).toEqual([]);
    expect(validateInput({ n: 1, items: [1, 2, 3] })).toEqual([]);
    expect(validateInput(null)).toEqual([]);
    expect(validateInput(undefined)).toEqual([]);
    const problems = validateInput(inputOf(256 * 1024 + 1));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('$.input');
    expect(problems[0].message).toMatch(/262145 bytes.*262144/);
    expect(validateInput({ text: 'é'.repeat(131_072) })).toHaveLength(1);
  });
});

describe('all problems at once', () => {
  it('lists every problem of a document in one answer', () => {
    const problems = problemsOf({
      id: 'Bad Id',
      version: 1,
      settings: { output: { $expr: 'nodes.' }, concurrency: { key: 'nope', max: 2 } },
      nodes: [
        node('start'),
        node('start'),
        node('2nd'),
        node('tele', { type: 'teleport' }),
        node('wait', { type: 'delay', config: { duration: 'later' } }),
        node('calc', { type: 'transform', config: { output: { v: { $expr: 'input.v +' } } } }),
        node('loop1'),
        node('loop2'),
      ],
      edges: [
        { from: 'start', to: 'tele', when: 'output.ok ==' },
        { from: 'start', to: 'nowhere' },
        { from: 'loop1', to: 'loop2' },
        { from: 'loop2', to: 'loop1' },
        { from: 'start', to: 'wait' },
        { from: 'start', to: 'calc' },
        { from: 'start', to: '2nd' },
      ],
    });
    expectProblem(problems, '$.id', /graph id/);
    expectProblem(problems, '$.nodes[1].id', /duplicate node id "start"/);
    expectProblem(problems, '$.nodes[2].id', /node id/);
    expectProblem(problems, '$.nodes[3].type', /unknown node type "teleport"/);
    expectProblem(problems, '$.nodes[4].config.duration', /duration/);
    expectProblem(problems, '$.nodes[5].config.output.v', /does not parse/);
    expectProblem(problems, '$.edges[0].when', /does not parse/);
    expectProblem(problems, '$.edges[1].to', /unknown node "nowhere"/);
    expectProblem(problems, '$.edges[3]', /cycle: loop1 -> loop2 -> loop1/);
    expectProblem(problems, '$.nodes[6]', /"loop1" is unreachable/);
    expectProblem(problems, '$.nodes[7]', /"loop2" is unreachable/);
    expectProblem(problems, '$.settings.output', /does not parse/);
    expectProblem(problems, '$.settings.concurrency.key', /type-check/);
    expect(problems).toHaveLength(13);
  });

  it('lists no problem twice', () => {
    const problems = problemsOf(doc([node('a'), node('a'), node('a', { type: 'x' })], [{ from: 'a', to: 'zz' }, { from: 'a', to: 'zz' }]));
    const keys = problems.map((problem) => `${problem.path} ${problem.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('jsonPath', () => {
  it('writes identifiers with dots, indexes and other keys in brackets', () => {
    expect(jsonPath('$', ['nodes', 0, 'config', 'a-b', 'x'])).toBe('$.nodes[0].config["a-b"].x');
    expect(jsonPath('$.c', [])).toBe('$.c');
  });
});

describe('when conditions', () => {
  it('must be bool-typed when the type is known statically', () => {
    const result = validateGraph({
      id: 'g',
      version: 1,
      nodes: [
        { id: 'a', type: 'noop' },
        { id: 'b', type: 'noop' },
        { id: 'c', type: 'noop' },
      ],
      edges: [
        { from: 'a', to: 'b', when: '1 + 2' },
        { from: 'a', to: 'c', when: 'output.n > 2' },
      ],
    });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ path: '$.edges[0].when', message: 'a when condition must be a bool, but this expression is int' }]);
  });
});

describe('subgraph nodes', () => {
  const withSubgraph = (config: unknown): Doc => ({ id: 'checkout', version: 1, nodes: [{ id: 'tax', type: 'subgraph', config }] });

  it('accept another graph, with or without a version, with a templated input', () => {
    expect(validateGraph(withSubgraph({ graphId: 'add-tax' })).problems).toEqual([]);
    expect(validateGraph(withSubgraph({ graphId: 'add-tax', version: 2, input: { amount: { $expr: 'input.total' } } })).problems).toEqual([]);
  });

  it('refuse direct recursion, naming the node', () => {
    expect(validateGraph(withSubgraph({ graphId: 'checkout' })).problems).toEqual([
      { path: '$.nodes[0].config.graphId', message: 'node "tax" runs its own graph "checkout" as a subgraph: recursion is refused' },
    ]);
  });

  it('refuse a templated graph id or version, a bad id and unknown fields', () => {
    const paths = (config: unknown) => validateGraph(withSubgraph(config)).problems.map((p) => p.path);
    expect(paths({ graphId: { $expr: "'add-tax'" } })).toEqual(['$.nodes[0].config.graphId']);
    expect(paths({ graphId: 'add-tax', version: { $expr: '1' } })).toEqual(['$.nodes[0].config.version']);
    expect(paths({ graphId: 'Add Tax' })).toEqual(['$.nodes[0].config.graphId']);
    expect(paths({ graphId: 'add-tax', version: 0 })).toEqual(['$.nodes[0].config.version']);
    expect(paths({ graph: 'add-tax' })).toContain('$.nodes[0].config');
  });
});

describe('local nodes', () => {
  const quick = (extra: Doc = {}): Doc => node('quick', { type: 'mock', local: true, timeout: { startToClose: '10s' }, ...extra });

  it('accepts an activity node with startToClose of at most 10s, also with a compensation', () => {
    for (const startToClose of ['10s', '500ms', '10000ms']) {
      expect(validateGraph(doc([quick({ timeout: { startToClose } })])).problems).toEqual([]);
    }
    const result = validateGraph(doc([quick({ compensate: { type: 'mock' } }), node('b', { type: 'http', local: true, config: { url: 'https://example.com' }, timeout: { startToClose: '3s' } })], [{ from: 'quick', to: 'b' }]));
    expect(result.problems).toEqual([]);
    if (result.ok) expect(result.graph.nodes[0].local).toBe(true);
    // local: false is an ordinary node: no limits apply.
    expect(validateGraph(doc([node('slow', { type: 'mock', local: false, timeout: { startToClose: '1h', heartbeat: '10s' } })])).problems).toEqual([]);
  });

  it('refuses a node type that does not run as an activity, naming the node and where the type runs', () => {
    expectProblem(problemsOf(doc([node('t', { type: 'transform', local: true, config: { output: 1 } })])), '$.nodes[0].local', /node "t" cannot be local: only activity node types run as local activities, and "transform" runs inline in the workflow/);
    expectProblem(problemsOf(doc([node('d', { type: 'delay', local: true, config: { duration: '1s' } })])), '$.nodes[0].local', /node "d" cannot be local: .*"delay" runs as a workflow timer/);
    expectProblem(problemsOf(doc([node('w', { type: 'wait', local: true, config: { signal: 'go' } })])), '$.nodes[0].local', /node "w" cannot be local: .*waiting for a signal/);
  });

  it('refuses a missing or longer startToClose, naming the node and the 10s rule', () => {
    expectProblem(problemsOf(doc([quick({ timeout: undefined })])), '$.nodes[0].timeout.startToClose', /node "quick" is local: it needs timeout.startToClose of at most 10s \(the default is 5m\)/);
    expectProblem(problemsOf(doc([quick({ timeout: { startToClose: '11s' } })])), '$.nodes[0].timeout.startToClose', /node "quick" is local: timeout.startToClose must be at most 10s, not 11s/);
    expectProblem(problemsOf(doc([quick({ timeout: { startToClose: '10001ms' } })])), '$.nodes[0].timeout.startToClose', /at most 10s, not 10001ms/);
    // A malformed duration is reported once, by the duration rule.
    const malformed = problemsOf(doc([quick({ timeout: { startToClose: 'soon' } })]));
    expect(malformed.filter((p) => p.path === '$.nodes[0].timeout.startToClose')).toHaveLength(1);
  });

  it('refuses a heartbeat timeout: a local activity cannot heartbeat', () => {
    expectProblem(problemsOf(doc([quick({ timeout: { startToClose: '5s', heartbeat: '1s' } })])), '$.nodes[0].timeout.heartbeat', /node "quick" is local: a local activity cannot heartbeat/);
  });

  it('refuses a local that is not a boolean', () => {
    expectProblem(problemsOf(doc([quick({ local: 'yes' })])), '$.nodes[0].local', /boolean/);
  });
});
