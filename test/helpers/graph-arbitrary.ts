/**
 * Generated graph documents for fuzzing. `graphDocument` mixes three kinds: well-formed graphs
 * that may run (short delays and timeouts, so every execution ends quickly), the same with a
 * few fields broken (wrong types, unknown keys, bad durations and ids, dangling edges, odd
 * expressions), and arbitrary JSON. `runnableGraph` keeps to graphs that validate often and
 * end within seconds, for real runs.
 */
import fc from 'fast-check';

const NODE_TYPES = ['noop', 'transform', 'mock', 'delay', 'wait'] as const;
const EXPRESSIONS = [
  'true',
  'false',
  'input.n > 1',
  'has(input.n)',
  'output.n == 2',
  'size(string(output)) > 3',
  "nodes.n0.status == 'completed'",
  'input.n / 0 == 1',
  '(((',
  'x +',
  "'a' + 1",
  'input.missing.deeper',
  '[1, 2, 3].all(x, x > 0)',
  'int(input.n) * 2 > 0',
];
const DURATIONS = ['1ms', '50ms', '200ms', '1s', '2s', '0s', '-1s', '5 minutes', '366d', '999999999d', '', 'soon', '10m'];

const nodeId = (index: number): string => `n${index}`;

const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>;
const expressionValue = fc.constantFrom(...EXPRESSIONS).map((expr) => ({ $expr: expr }));
const outputValue = fc.oneof(json, expressionValue, fc.record({ n: fc.oneof(fc.integer({ min: -5, max: 5 }), expressionValue) }));

/** A config for `type` that validates more often than not, with short delays and timeouts. */
function configFor(type: (typeof NODE_TYPES)[number]): fc.Arbitrary<unknown> {
  switch (type) {
    case 'noop':
      return fc.constant(undefined);
    case 'transform':
      return fc.record({ output: outputValue });
    case 'mock':
      return fc.record(
        {
          output: outputValue,
          delayMs: fc.integer({ min: 0, max: 300 }),
          failAttempts: fc.integer({ min: 0, max: 2 }),
          fail: fc.record({ type: fc.constantFrom('Boom', 'BadRequest'), nonRetryable: fc.boolean() }, { requiredKeys: [] }),
          heartbeat: fc.boolean(),
        },
        { requiredKeys: [] },
      );
    case 'delay':
      return fc.record({ duration: fc.constantFrom('1ms', '50ms', '300ms') });
    case 'wait':
      return fc.record({ signal: fc.constantFrom('approve', 'go'), timeout: fc.constantFrom('100ms', '500ms') });
  }
}

const node = (index: number) =>
  fc.constantFrom(...NODE_TYPES).chain((type) =>
    fc.record(
      {
        id: fc.constant(nodeId(index)),
        type: fc.constant(type),
        config: configFor(type),
        retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 3 }), initialInterval: fc.constantFrom('10ms', '50ms') }, { requiredKeys: [] }),
        timeout: fc.record({ startToClose: fc.constantFrom('2s', '5s') }, { requiredKeys: [] }),
        join: fc.constantFrom('all', 'any'),
        compensate: fc.constant({ type: 'mock', config: { output: 'undone' } }),
      },
      { requiredKeys: ['id', 'type'] },
    ),
  );

/** Edges that only point forward (no cycles), so most generated graphs are acyclic. */
const forwardEdges = (count: number): fc.Arbitrary<Record<string, unknown>[]> =>
  count < 2
    ? fc.constant([])
    : fc.array(
        fc
          .nat({ max: count - 2 })
          .chain((from) => fc.tuple(fc.constant(from), fc.integer({ min: from + 1, max: count - 1 }), fc.constantFrom(undefined, 'success', 'error', 'always'), fc.option(fc.constantFrom(...EXPRESSIONS), { nil: undefined })))
          .map(([from, to, on, when]) => ({ from: nodeId(from), to: nodeId(to), ...(on ? { on } : {}), ...(when ? { when } : {}) })),
        { maxLength: count * 2 },
      );

const settings = fc.record(
  {
    maxParallelism: fc.integer({ min: 1, max: 8 }),
    onFailure: fc.constantFrom('dlq', 'fail'),
    output: fc.oneof(expressionValue, json),
    concurrency: fc.record({ key: fc.constantFrom("'fuzz'", 'string(input.n)', '((('), max: fc.integer({ min: 1, max: 4 }) }),
  },
  { requiredKeys: [] },
);

/** A well-formed graph that ends within a few seconds when it validates (deadline 20s). */
export const runnableGraph: fc.Arbitrary<Record<string, unknown>> = fc.integer({ min: 1, max: 8 }).chain((count) =>
  fc.record({
    id: fc.constant('fuzz'),
    version: fc.constant(1),
    nodes: fc.tuple(...Array.from({ length: count }, (_, index) => node(index))),
    edges: forwardEdges(count),
    settings: settings.map((value) => ({ ...value, deadline: '20s' })),
  }),
);

/** Breaks one field of a document: the kind of mistake a careless user makes. */
const breakage: fc.Arbitrary<(doc: Record<string, unknown>) => Record<string, unknown>> = fc.oneof(
  fc.constantFrom(...DURATIONS).map((d) => (doc: Record<string, unknown>) => ({ ...doc, settings: { ...(doc.settings as object), deadline: d } })),
  fc.constantFrom(0, -1, 1.5, 2_147_483_648, '1', null, 1e300).map((v) => (doc: Record<string, unknown>) => ({ ...doc, version: v })),
  fc.constantFrom('', 'UPPER', 'a'.repeat(80), 'has space', null, 7).map((id) => (doc: Record<string, unknown>) => ({ ...doc, id })),
  json.map((junk) => (doc: Record<string, unknown>) => ({ ...doc, nodes: [...(doc.nodes as unknown[]), junk] })),
  json.map((junk) => (doc: Record<string, unknown>) => ({ ...doc, edges: [...(doc.edges as unknown[]), junk] })),
  fc.constantFrom('nope', 'n99', 'n0').map((to) => (doc: Record<string, unknown>) => ({ ...doc, edges: [...(doc.edges as unknown[]), { from: 'n0', to }] })),
  fc.constant((doc: Record<string, unknown>) => ({ ...doc, nodes: [...(doc.nodes as unknown[]), (doc.nodes as unknown[])[0]] })),
  fc.constant((doc: Record<string, unknown>) => ({ ...doc, edges: [...(doc.edges as unknown[]), { from: 'n0', to: 'n0' }] })),
  fc.tuple(fc.string({ maxLength: 8 }), json).map(([key, value]) => (doc: Record<string, unknown>) => ({ ...doc, [key]: value })),
  fc.tuple(fc.string({ maxLength: 8 }), json).map(([key, value]) => (doc: Record<string, unknown>) => ({
    ...doc,
    nodes: (doc.nodes as Record<string, unknown>[]).map((n, i) => (i === 0 ? { ...n, [key]: value } : n)),
  })),
  fc.tuple(fc.constantFrom('config', 'retry', 'timeout', 'compensate', 'join', 'type'), json).map(([key, value]) => (doc: Record<string, unknown>) => ({
    ...doc,
    nodes: (doc.nodes as Record<string, unknown>[]).map((n, i) => (i === 0 ? { ...n, [key]: value } : n)),
  })),
);

/** Any document a client might send: valid, slightly broken, badly broken or not a graph at all. */
export const graphDocument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: runnableGraph },
  { weight: 5, arbitrary: fc.tuple(runnableGraph, fc.array(breakage, { minLength: 1, maxLength: 3 })).map(([doc, breaks]) => breaks.reduce((d, b) => b(d), doc)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);
