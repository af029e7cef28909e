import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../src/workflows/graph/expressions';
import { GraphPlan, type WhenEvaluator } from '../../src/workflows/graph/planner';
import { defaultOutput, nodesVariable, skippedIds } from '../../src/workflows/graph/plan-views';
import type { GraphEdge, GraphNode, Json, NodeError } from '../../src/workflows/graph/types';

const execution = { id: 'e1', input: null, organizationId: 'org', graphId: 'g', graphVersion: 1 };

/** Evaluates `when` with real CEL, the way the workflow does. */
const cel: WhenEvaluator = (edge, output) =>
  evaluateExpression(edge.when!, { input: output, execution, nodes: {}, output }, '$.edges[?].when', 'when') === true;

const never: WhenEvaluator = () => {
  throw new Error('no edge here has a `when`');
};

function n(id: string, join?: 'all' | 'any'): GraphNode {
  return join ? { id, type: 'noop', join } : { id, type: 'noop' };
}
function e(from: string, to: string, extra: Partial<GraphEdge> = {}): GraphEdge {
  return { from, to, ...extra };
}
function plan(nodes: (string | GraphNode)[], edges: GraphEdge[]): GraphPlan {
  return new GraphPlan({ nodes: nodes.map((node) => (typeof node === 'string' ? n(node) : node)), edges });
}
function err(nodeId: string, type = 'Boom'): NodeError {
  return { nodeId, type, message: `${nodeId} broke`, attempts: 3 };
}
function statuses(p: GraphPlan): Record<string, string> {
  return Object.fromEntries(p.nodes.map((node) => [node.id, p.state(node.id).status]));
}
/** Start and complete a node in one go. */
function finish(p: GraphPlan, id: string, output: Json, evaluate: WhenEvaluator = cel) {
  p.start(id);
  return p.complete(id, output, evaluate);
}

describe('input', () => {
  it('a node without incoming edges gets the execution input', () => {
    const p = plan(['a'], []);
    expect(p.input('a', { n: 1 })).toEqual({ n: 1 });
  });

  it('a node with one incoming edge gets its predecessor output', () => {
    const p = plan(['a', 'b'], [e('a', 'b')]);
    finish(p, 'a', { total: 7 });
    expect(p.ready()).toEqual(['b']);
    expect(p.input('b', { n: 1 })).toEqual({ total: 7 });
  });

  it('a node with several incoming edges gets an object keyed by predecessor, holding taken edges only', () => {
    const p = plan(['r', 'a', 'b', 'c', 'm'], [e('r', 'a'), e('r', 'b'), e('r', 'c'), e('a', 'm'), e('b', 'm', { when: 'output.go' }), e('c', 'm')]);
    finish(p, 'r', 0);
    finish(p, 'a', { v: 'a' });
    finish(p, 'b', { go: false });
    finish(p, 'c', [1, 2]);
    expect(p.ready()).toEqual(['m']);
    expect(p.input('m', 'exec')).toEqual({ a: { v: 'a' }, c: [1, 2] });
  });

  it('an error edge hands {error: {nodeId, type, message, attempts}} to its target', () => {
    const p = plan(['a', 'h'], [e('a', 'h', { on: 'error' })]);
    p.start('a');
    expect(p.fail('a', err('a', 'BadRequest'), cel)).toEqual({ handled: true, faults: [] });
    expect(p.ready()).toEqual(['h']);
    expect(p.input('h', null)).toEqual({ error: { nodeId: 'a', type: 'BadRequest', message: 'a broke', attempts: 3 } });
  });

  it('keys error values by predecessor too, beside outputs', () => {
    const p = plan(['r', 'ok', 'bad', 'm'], [e('r', 'ok'), e('r', 'bad'), e('ok', 'm'), e('bad', 'm', { on: 'always' })]);
    finish(p, 'r', null);
    finish(p, 'ok', 1);
    p.start('bad');
    expect(p.fail('bad', err('bad'), cel).handled).toBe(false);
    expect(p.input('m', null)).toEqual({ ok: 1, bad: { error: err('bad') } });
  });

  it('treats two edges from the same predecessor as one predecessor (its value, not an object)', () => {
    const p = plan(['a', 'b'], [e('a', 'b', { when: 'output > 5' }), e('a', 'b', { on: 'always' })]);
    finish(p, 'a', 3);
    expect(p.edgeState(0)).toBe('skipped');
    expect(p.edgeState(1)).toBe('taken');
    expect(p.ready()).toEqual(['b']);
    expect(p.input('b', null)).toBe(3);
  });
});

describe('edges', () => {
  it('a success edge is taken when its source completed and `when` is true, else skipped', () => {
    const p = plan(['fetch', 'big', 'small', 'oops'], [
      e('fetch', 'big', { when: 'output.n > 10' }),
      e('fetch', 'small', { when: 'output.n <= 10' }),
      e('fetch', 'oops', { on: 'error' }),
    ]);
    finish(p, 'fetch', { n: 12 });
    expect([p.edgeState(0), p.edgeState(1), p.edgeState(2)]).toEqual(['taken', 'skipped', 'skipped']);
    expect(p.ready()).toEqual(['big']);
    expect(statuses(p)).toEqual({ fetch: 'completed', big: 'pending', small: 'skipped', oops: 'skipped' });
  });

  it('a success edge without `when` is taken on completion, never evaluating anything', () => {
    const p = plan(['a', 'b'], [e('a', 'b', { on: 'success' })]);
    finish(p, 'a', 1, never);
    expect(p.edgeState(0)).toBe('taken');
  });

  it('undecided edges stay undecided until their source finishes', () => {
    const p = plan(['a', 'b'], [e('a', 'b')]);
    expect(p.edgeState(0)).toBe('undecided');
    p.start('a');
    expect(p.ready()).toEqual([]);
    expect(p.edgeState(0)).toBe('undecided');
  });

  it('an always edge is taken on success and on failure, subject to `when`', () => {
    const ok = plan(['a', 'b'], [e('a', 'b', { on: 'always' })]);
    finish(ok, 'a', 1);
    expect(ok.edgeState(0)).toBe('taken');
    expect(ok.input('b', null)).toBe(1);

    const failed = plan(['a', 'b'], [e('a', 'b', { on: 'always' })]);
    failed.start('a');
    failed.fail('a', err('a'), cel);
    expect(failed.edgeState(0)).toBe('taken');
    expect(failed.input('b', null)).toEqual({ error: err('a') });

    const guarded = plan(['a', 'b'], [e('a', 'b', { on: 'always', when: 'has(output.error)' })]);
    finish(guarded, 'a', { fine: true });
    expect(guarded.edgeState(0)).toBe('skipped');
  });

  it('on failure, success edges are skipped and error edges decided by `when` on the error object', () => {
    const p = plan(['a', 'next', 'retryable', 'fatal'], [
      e('a', 'next'),
      e('a', 'retryable', { on: 'error', when: "output.error.type == 'Timeout'" }),
      e('a', 'fatal', { on: 'error', when: "output.error.type != 'Timeout'" }),
    ]);
    p.start('a');
    expect(p.fail('a', err('a', 'Timeout'), cel)).toEqual({ handled: true, faults: [] });
    expect([p.edgeState(0), p.edgeState(1), p.edgeState(2)]).toEqual(['skipped', 'taken', 'skipped']);
    expect(p.ready()).toEqual(['retryable']);
    expect(p.state('next').status).toBe('skipped');
    expect(p.state('fatal').status).toBe('skipped');
  });

  it('on completion, error edges are skipped without evaluating their `when`', () => {
    const p = plan(['a', 'h'], [e('a', 'h', { on: 'error', when: 'true' })]);
    finish(p, 'a', 1, never);
    expect(p.edgeState(0)).toBe('skipped');
    expect(p.ready()).toEqual([]);
    expect(p.state('h').status).toBe('skipped');
  });

  it('a `when` that throws skips its edge and is returned as a fault for the caller', () => {
    const p = plan(['a', 'b', 'c'], [e('a', 'b', { when: 'output.missing > 1' }), e('a', 'c', { when: 'true' })]);
    p.start('a');
    const faults = p.complete('a', { n: 1 }, cel);
    expect(faults).toHaveLength(1);
    expect(faults[0].edgeIndex).toBe(0);
    expect(String(faults[0].error)).toMatch(/output\.missing/);
    expect(p.edgeState(0)).toBe('skipped');
    expect(p.edgeState(1)).toBe('taken');
  });

  it('a `when` that throws on an error edge is a fault and does not handle the failure', () => {
    const p = plan(['a', 'h'], [e('a', 'h', { on: 'error', when: 'output.nope' })]);
    p.start('a');
    const { handled, faults } = p.fail('a', err('a'), cel);
    expect(handled).toBe(false);
    expect(faults.map((fault) => fault.edgeIndex)).toEqual([0]);
    expect(p.state('a')).toEqual({ status: 'failed', error: err('a'), handled: false });
  });
});

describe('fail()', () => {
  it('is handled only when an error edge is taken', () => {
    const handled = plan(['a', 'h'], [e('a', 'h', { on: 'error' })]);
    handled.start('a');
    expect(handled.fail('a', err('a'), cel).handled).toBe(true);
    expect(handled.state('a')).toEqual({ status: 'failed', error: err('a'), handled: true });

    const noEdges = plan(['a'], []);
    noEdges.start('a');
    expect(noEdges.fail('a', err('a'), cel).handled).toBe(false);

    const successOnly = plan(['a', 'b'], [e('a', 'b')]);
    successOnly.start('a');
    expect(successOnly.fail('a', err('a'), cel).handled).toBe(false);

    const falseWhen = plan(['a', 'h'], [e('a', 'h', { on: 'error', when: "output.error.type == 'Other'" })]);
    falseWhen.start('a');
    expect(falseWhen.fail('a', err('a'), cel).handled).toBe(false);
  });

  it('an always edge alone does not handle a failure (only an error edge does)', () => {
    const p = plan(['a', 'b'], [e('a', 'b', { on: 'always' })]);
    p.start('a');
    expect(p.fail('a', err('a'), cel).handled).toBe(false);
  });

  it('a `when` on an error edge already sees the failed node in `nodes`, as on success', () => {
    const seen: unknown[] = [];
    const p = plan(['a', 'h', 'b', 'k'], [e('a', 'h', { on: 'error', when: 'x' }), e('b', 'k', { when: 'x' })]);
    const spy: WhenEvaluator = (edge) => {
      seen.push(nodesVariable(p)[edge.from]);
      return true;
    };
    p.start('a');
    p.fail('a', err('a'), spy);
    p.start('b');
    p.complete('b', 'B', spy);
    expect(seen).toEqual([
      { status: 'failed', output: null, error: err('a') },
      { status: 'completed', output: 'B' },
    ]);
  });

  it('can fail a pending node (an edge `when` fault) and decides its edges', () => {
    const p = plan(['a', 'b', 'h'], [e('a', 'b'), e('b', 'h', { on: 'error' })]);
    expect(p.fail('b', err('b', 'ExpressionError'), cel).handled).toBe(true);
    expect(p.state('b').status).toBe('failed');
    finish(p, 'a', 1);
    expect(p.ready()).toEqual(['h']);
  });

  it('refuses to finish a node twice', () => {
    const p = plan(['a'], []);
    finish(p, 'a', 1);
    expect(() => p.complete('a', 2, cel)).toThrow(/cannot complete from completed/);
    expect(() => p.fail('a', err('a'), cel)).toThrow(/cannot fail from completed/);
    expect(() => p.start('a')).toThrow(/expected pending/);
  });
});

describe('join', () => {
  it('all: waits until every incoming edge is decided', () => {
    const p = plan(['r', 'a', 'b', 'm'], [e('r', 'a'), e('r', 'b'), e('a', 'm'), e('b', 'm')]);
    finish(p, 'r', 0);
    expect(p.ready()).toEqual(['a', 'b']);
    p.start('a');
    p.start('b');
    p.complete('a', 'A', cel);
    expect(p.ready()).toEqual([]);
    p.complete('b', 'B', cel);
    expect(p.ready()).toEqual(['m']);
    expect(p.input('m', null)).toEqual({ a: 'A', b: 'B' });
  });

  it('all: runs if at least one incoming edge was taken', () => {
    const p = plan(['r', 'a', 'b', 'm'], [e('r', 'a'), e('r', 'b'), e('a', 'm', { when: 'false' }), e('b', 'm')]);
    finish(p, 'r', 0);
    finish(p, 'a', 'A');
    expect(p.ready()).toEqual(['b']);
    finish(p, 'b', 'B');
    expect(p.ready()).toEqual(['m']);
    expect(p.input('m', null)).toEqual({ b: 'B' });
  });

  it('all: is skipped when no incoming edge was taken', () => {
    const p = plan(['r', 'a', 'b', 'm'], [e('r', 'a'), e('r', 'b'), e('a', 'm', { when: 'false' }), e('b', 'm', { when: 'false' })]);
    finish(p, 'r', 0);
    finish(p, 'a', 1);
    expect(p.state('m').status).toBe('pending');
    finish(p, 'b', 2);
    expect(p.ready()).toEqual([]);
    expect(p.state('m').status).toBe('skipped');
  });

  it('any: runs when the first incoming edge is taken, and ignores later ones', () => {
    const p = plan(['r', 'a', 'b', { id: 'm', type: 'noop', join: 'any' }], [e('r', 'a'), e('r', 'b'), e('a', 'm'), e('b', 'm')]);
    finish(p, 'r', 0);
    p.start('a');
    p.start('b');
    p.complete('b', 'B', cel);
    expect(p.ready()).toEqual(['m']);
    p.start('m');
    expect(p.input('m', null)).toEqual({ b: 'B' });
    p.complete('a', 'A', cel);
    expect(p.ready()).toEqual([]);
    p.complete('m', 'M', cel);
    expect(statuses(p)).toEqual({ r: 'completed', a: 'completed', b: 'completed', m: 'completed' });
  });

  it('any: a skipped edge does not make it ready; it waits for a taken one', () => {
    const p = plan(['r', 'a', 'b', n('m', 'any')], [e('r', 'a'), e('r', 'b'), e('a', 'm', { when: 'false' }), e('b', 'm')]);
    finish(p, 'r', 0);
    finish(p, 'a', 1);
    expect(p.ready()).toEqual(['b']);
    finish(p, 'b', 2);
    expect(p.ready()).toEqual(['m']);
  });

  it('any: is skipped when every incoming edge was skipped', () => {
    const p = plan(['r', 'a', 'b', n('m', 'any')], [e('r', 'a'), e('r', 'b'), e('a', 'm', { when: 'false' }), e('b', 'm', { when: 'false' })]);
    finish(p, 'r', 0);
    finish(p, 'a', 1);
    finish(p, 'b', 2);
    expect(p.ready()).toEqual([]);
    expect(p.state('m').status).toBe('skipped');
  });
});

describe('skip propagation', () => {
  const ifElse = () =>
    plan(['check', 'yes', 'no', 'merge', 'after'], [
      e('check', 'yes', { when: 'output.ok' }),
      e('check', 'no', { when: '!output.ok' }),
      e('yes', 'merge'),
      e('no', 'merge'),
      e('merge', 'after'),
    ]);

  for (const ok of [true, false]) {
    it(`a merge after if/else runs once, with the taken branch (ok=${ok})`, () => {
      const p = ifElse();
      const started: string[] = [];
      const step = (id: string, output: Json) => {
        started.push(id);
        finish(p, id, output);
      };
      step('check', { ok });
      const branch = ok ? 'yes' : 'no';
      expect(p.ready()).toEqual([branch]);
      expect(skippedIds(p)).toEqual([ok ? 'no' : 'yes']);
      step(branch, `from ${branch}`);
      expect(p.ready()).toEqual(['merge']);
      expect(p.input('merge', null)).toEqual({ [branch]: `from ${branch}` });
      step('merge', 'merged');
      expect(p.ready()).toEqual(['after']);
      step('after', 'done');
      expect(p.ready()).toEqual([]);
      expect(started).toEqual(['check', branch, 'merge', 'after']);
      expect(defaultOutput(p)).toBe('done');
    });
  }

  it('a skipped node skips all its outgoing edges, success, error and always', () => {
    const p = plan(['a', 'b', 'c', 'd', 'h'], [
      e('a', 'b', { when: 'false' }),
      e('b', 'c'),
      e('b', 'h', { on: 'error' }),
      e('b', 'd', { on: 'always' }),
    ]);
    finish(p, 'a', 1);
    expect(p.ready()).toEqual([]);
    expect(statuses(p)).toEqual({ a: 'completed', b: 'skipped', c: 'skipped', d: 'skipped', h: 'skipped' });
    expect([1, 2, 3].map((index) => p.edgeState(index))).toEqual(['skipped', 'skipped', 'skipped']);
    expect(skippedIds(p)).toEqual(['b', 'c', 'd', 'h']);
  });

  it('propagates through a long chain in one ready() call', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `n${i}`);
    const p = plan(ids, ids.slice(1).map((id, i) => e(ids[i], id, i === 0 ? { when: 'false' } : {})));
    finish(p, 'n0', null);
    expect(p.ready()).toEqual([]);
    expect(skippedIds(p)).toEqual(ids.slice(1));
    expect(p.settled(0)).toBe(true);
  });

  it('a join-all node with one taken edge still runs when its other predecessor was skipped', () => {
    const p = plan(['r', 'x', 'y', 'm'], [e('r', 'x', { when: 'false' }), e('r', 'y'), e('x', 'm'), e('y', 'm')]);
    finish(p, 'r', 0);
    expect(p.ready()).toEqual(['y']);
    expect(p.state('x').status).toBe('skipped');
    finish(p, 'y', 'Y');
    expect(p.ready()).toEqual(['m']);
    expect(p.input('m', null)).toEqual({ y: 'Y' });
  });
});

describe('abort()', () => {
  it('marks pending nodes cancelled and returns the running ones', () => {
    const p = plan(['r', 'a', 'b', 'c', 'd'], [e('r', 'a'), e('r', 'b'), e('r', 'c', { when: 'false' }), e('a', 'd'), e('b', 'd')]);
    finish(p, 'r', 0);
    p.ready();
    p.start('a');
    p.start('b');
    expect(p.fail('b', err('b'), cel).handled).toBe(false);
    expect(p.abort()).toEqual(['a']);
    expect(statuses(p)).toEqual({ r: 'completed', a: 'running', b: 'failed', c: 'skipped', d: 'cancelled' });
    p.cancel('a');
    expect(p.state('a').status).toBe('cancelled');
    expect(p.ready()).toEqual([]);
    expect(p.settled(0)).toBe(true);
  });

  it('leaves nothing pending, so every node gets a final status', () => {
    const p = plan(['a', 'b', 'c'], [e('a', 'b'), e('b', 'c')]);
    expect(p.abort()).toEqual([]);
    expect(statuses(p)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'cancelled' });
  });
});

describe('defaultOutput()', () => {
  it('is the output of the single completed sink', () => {
    const p = plan(['a', 'b'], [e('a', 'b')]);
    finish(p, 'a', 'first');
    finish(p, 'b', { result: 1 });
    expect(p.sinks()).toEqual(['b']);
    expect(defaultOutput(p)).toEqual({ result: 1 });
  });

  it('is keyed by sink id when several sinks completed', () => {
    const p = plan(['a', 'b', 'c'], [e('a', 'b'), e('a', 'c')]);
    finish(p, 'a', 0);
    finish(p, 'b', 'B');
    finish(p, 'c', null);
    expect(defaultOutput(p)).toEqual({ b: 'B', c: null });
  });

  it('leaves out skipped and failed sinks', () => {
    const p = plan(['a', 'b', 'c', 'd'], [e('a', 'b'), e('a', 'c', { when: 'false' }), e('a', 'd')]);
    finish(p, 'a', 0);
    finish(p, 'b', 'B');
    p.ready();
    p.start('d');
    p.fail('d', err('d'), cel);
    expect(statuses(p)).toMatchObject({ c: 'skipped', d: 'failed' });
    // Only one completed sink is left: its output, not an object.
    expect(defaultOutput(p)).toBe('B');
  });

  it('keys by sink among several completed even when another sink was skipped', () => {
    const p = plan(['a', 'b', 'c', 'd'], [e('a', 'b'), e('a', 'c'), e('a', 'd', { when: 'false' })]);
    finish(p, 'a', 0);
    finish(p, 'b', 'B');
    finish(p, 'c', 'C');
    expect(p.ready()).toEqual([]);
    expect(defaultOutput(p)).toEqual({ b: 'B', c: 'C' });
  });

  it('is null when no sink completed', () => {
    const p = plan(['a', 'b'], [e('a', 'b', { when: 'false' })]);
    finish(p, 'a', 'A');
    p.ready();
    expect(defaultOutput(p)).toBeNull();
  });

  it('counts a lone node as a sink', () => {
    const p = plan(['only'], []);
    finish(p, 'only', [1, 2]);
    expect(defaultOutput(p)).toEqual([1, 2]);
  });
});

describe('nodesVariable()', () => {
  it('holds every decided node with status and output, and no pending or running node', () => {
    const p = plan(['a', 'b', 'c', 'd', 'e'], [e('a', 'b'), e('a', 'c', { when: 'false' }), e('a', 'd'), e('a', 'e')]);
    finish(p, 'a', { n: 1 });
    p.ready();
    p.start('b');
    p.fail('b', err('b'), cel);
    p.start('d');
    expect(nodesVariable(p)).toEqual({
      a: { status: 'completed', output: { n: 1 } },
      b: { status: 'failed', output: null, error: err('b') },
      c: { status: 'skipped', output: null },
    });
    p.abort();
    p.cancel('d');
    expect(nodesVariable(p)).toMatchObject({ d: { status: 'cancelled', output: null }, e: { status: 'cancelled', output: null } });
  });

  it('is what expressions read as `nodes`', () => {
    const p = plan(['total', 'report'], [e('total', 'report')]);
    finish(p, 'total', { sum: 40 });
    const value = evaluateExpression('nodes.total.output.sum + 2', { input: null, execution, nodes: nodesVariable(p) }, '$.x');
    expect(value).toBe(42);
  });
});

describe('resume and bookkeeping', () => {
  it('completes a pending node as reused, records completion order', () => {
    const p = plan(['a', 'b', 'c'], [e('a', 'b'), e('a', 'c')]);
    p.complete('a', 'seeded', cel, true);
    expect(p.state('a')).toEqual({ status: 'completed', output: 'seeded', reused: true });
    expect(p.ready()).toEqual(['b', 'c']);
    finish(p, 'c', 'C');
    finish(p, 'b', 'B');
    expect(p.state('b')).toEqual({ status: 'completed', output: 'B' });
    expect(p.completionOrder).toEqual(['a', 'c', 'b']);
  });

  it('ready() lists nodes in document order and all roots at once', () => {
    const p = plan(['z', 'y', 'x'], []);
    expect(p.ready()).toEqual(['z', 'y', 'x']);
  });

  it('settled() is true only when nothing runs and nothing can start', () => {
    const p = plan(['a', 'b'], [e('a', 'b')]);
    expect(p.settled(0)).toBe(false);
    p.start('a');
    expect(p.settled(1)).toBe(false);
    p.complete('a', 1, cel);
    expect(p.settled(0)).toBe(false);
    finish(p, 'b', 2);
    expect(p.settled(0)).toBe(true);
  });

  it('node() throws on an unknown id', () => {
    expect(() => plan(['a'], []).node('b')).toThrow(/unknown node "b"/);
  });
});
