/**
 * Property tests of the pure planner and of cycle detection: random DAGs, random outcomes and
 * random scheduling orders, checked against the rules of DESIGN §4.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compensationOrder, failedNodeIds, finalError, finalStatus, needsDeadLetter } from '../../src/workflows/graph/outcome';
import { GraphPlan, type WhenEvaluator } from '../../src/workflows/graph/planner';
import { RunState } from '../../src/workflows/graph/run-state';
import type { GraphEdge, GraphNode, Json, NodeError } from '../../src/workflows/graph/types';
import { findCycle, validateGraph } from '../../src/workflows/graph/validate';
import { defaultOutput } from '../../src/workflows/graph/plan-views';

// FC_NUM_RUNS=5000 for a deeper search; the default keeps the unit suite fast.
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 250);
const MAX_NODES = 12;
const TERMINAL = ['completed', 'failed', 'skipped', 'cancelled'];

/** What a `when` does when evaluated: true, false, or throw (an ExpressionError at run time). */
type WhenResult = boolean | 'throw';

interface GenEdge {
  from: number;
  to: number;
  on?: 'success' | 'error' | 'always';
  when?: WhenResult;
}
interface GenNode {
  join?: 'all' | 'any';
  ok: boolean;
  /** Declares a `compensate` (a mock undo step). */
  compensate?: boolean;
}
interface GenGraph {
  nodes: GenNode[];
  edges: GenEdge[];
}

/** Random DAGs: edges only go from a lower to a higher index (so every node is reachable from a root). */
function dagArbitrary(withThrowingWhen: boolean): fc.Arbitrary<GenGraph> {
  const whenArb: fc.Arbitrary<WhenResult | undefined> = withThrowingWhen
    ? fc.oneof(fc.constant(undefined), fc.boolean(), fc.constant<WhenResult>('throw'))
    : fc.option(fc.boolean(), { nil: undefined });
  return fc.integer({ min: 1, max: MAX_NODES }).chain((count) =>
    fc.record({
      nodes: fc.array(
        fc.record({
          join: fc.constantFrom<GenNode['join']>(undefined, 'all', 'any'),
          // Mostly successes, so that graphs get deep enough to be interesting.
          ok: fc.integer({ min: 0, max: 3 }).map((roll) => roll !== 0),
          compensate: fc.boolean(),
        }),
        { minLength: count, maxLength: count },
      ),
      edges:
        count < 2
          ? fc.constant([])
          : fc.array(
              fc
                .record({
                  a: fc.integer({ min: 0, max: count - 1 }),
                  b: fc.integer({ min: 0, max: count - 1 }),
                  on: fc.constantFrom<GenEdge['on']>(undefined, 'success', 'error', 'always'),
                  when: whenArb,
                })
                .filter(({ a, b }) => a !== b)
                .map(({ a, b, on, when }) => ({ from: Math.min(a, b), to: Math.max(a, b), on, when })),
              { maxLength: count * 3 },
            ),
    }),
  );
}

const idOf = (index: number): string => `n${index}`;

function toDocument(graph: GenGraph): { nodes: GraphNode[]; edges: GraphEdge[] } {
  return {
    nodes: graph.nodes.map((node, index) => ({
      id: idOf(index),
      type: 'noop',
      ...(node.join ? { join: node.join } : {}),
      ...(node.compensate ? { compensate: { type: 'mock' } } : {}),
    })),
    // The `when` text names the edge, so the evaluator can look its generated result up.
    edges: graph.edges.map((edge, index) => ({
      from: idOf(edge.from),
      to: idOf(edge.to),
      ...(edge.on ? { on: edge.on } : {}),
      ...(edge.when !== undefined ? { when: `w${index}` } : {}),
    })),
  };
}

/** Some nodes output null, so a value that merely looks present is not taken for one. */
const outputOf = (index: number): Json => (index % 4 === 3 ? null : { node: idOf(index), value: index * 10 });
const errorOf = (id: string, type = 'Boom'): NodeError => ({ nodeId: id, type, message: `${id} failed`, attempts: 1 });

interface Simulation {
  plan: GraphPlan;
  run: RunState;
  unhandled: boolean;
  started: string[];
  /** Nodes failed by an edge fault, without starting. */
  faulted: Set<string>;
  /** Nodes that completed, in the order they did (kept by the simulation itself). */
  completed: string[];
  /** Nodes that were running when the execution stopped. */
  runningAtStop: string[];
}

/** An operator cancel or the deadline, after `afterFinishes` nodes have finished. */
interface Stop {
  kind: 'cancel' | 'deadline';
  afterFinishes: number;
}

/**
 * Runs the graph the way the workflow does: start ready nodes (a random subset, as
 * maxParallelism may hold some back), finish a random running node with its generated
 * outcome, fail the targets of faulted `when`s, and abort on an unhandled failure.
 * Checks the per-step invariants as it goes.
 */
function simulate(graph: GenGraph, picks: number[], executionInput: Json, stopAt?: Stop): Simulation {
  const document = toDocument(graph);
  const plan = new GraphPlan(document);
  const count = graph.nodes.length;
  const indexOf = new Map(document.nodes.map((node, index) => [node.id, index]));
  const incoming = (id: string) => document.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => edge.to === id);

  let cursor = 0;
  const pick = (size: number): number => (picks.length === 0 ? 0 : picks[cursor++ % picks.length] % size);

  /** The value a taken edge from `from` carries: its output, or `{error}` if it failed. */
  const carried = (from: string): Json => {
    const state = plan.state(from);
    if (state.status === 'completed') return state.output;
    if (state.status === 'failed') return { error: { ...state.error } };
    throw new Error(`a taken edge leaves ${from}, which is ${state.status}`);
  };

  // The planner catches what an evaluator throws (as an edge fault), so checks made inside
  // the evaluator are collected here and asserted by the caller.
  const violations: string[] = [];
  const evaluate: WhenEvaluator = (edge, value) => {
    const result = graph.edges[Number(edge.when!.slice(1))].when!;
    // The evaluator sees the source's output on success, `{error}` on failure, and the
    // source is already decided (the `nodes` variable holds it).
    try {
      expect(value).toEqual(carried(edge.from));
    } catch (error) {
      violations.push(`when ${edge.when}: ${String(error)}`);
    }
    if (result === 'throw') throw new Error(`when ${edge.when} failed`);
    return result;
  };

  const started = new Set<string>();
  const startOrder: string[] = [];
  const running = new Set<string>();
  const completedOrder: string[] = [];
  const runningAtStop: string[] = [];
  let finishes = 0;
  // The workflow's own rules: the simulation only schedules and reports outcomes.
  const run = new RunState(plan, evaluate, () => '2026-01-01T00:00:00.000Z');
  const cancelled = (ids: string[]): void => {
    if (ids.length > 0 && runningAtStop.length === 0) runningAtStop.push(...ids);
    for (const id of ids) {
      expect(running.has(id), `${id} cancelled while not running`).toBe(true);
      expect(plan.state(id).status).toBe('cancelled');
      running.delete(id);
    }
  };
  const stopped = (): boolean => !run.going || run.timedOut;

  /**
   * ready() offers exactly the pending nodes the join rule lets start: `all` once every
   * incoming edge is decided and one was taken, `any` once one was taken; and no pending
   * node is left whose incoming edges were all skipped.
   */
  const checkReady = (ready: string[]): void => {
    const allowed = document.nodes
      .filter((node) => plan.state(node.id).status === 'pending')
      .filter((node) => {
        const states = incoming(node.id).map(({ index }) => plan.edgeState(index));
        if (states.length === 0) return true;
        if (node.join === 'any') return states.includes('taken');
        return states.includes('taken') && !states.includes('undecided');
      })
      .map((node) => node.id);
    expect(ready).toEqual(allowed);
    for (const node of document.nodes) {
      const states = incoming(node.id).map(({ index }) => plan.edgeState(index));
      if (states.length > 0 && states.every((state) => state === 'skipped')) expect(plan.state(node.id).status).not.toBe('pending');
    }
  };

  const startNode = (id: string): void => {
    expect(started.has(id), `${id} starts twice`).toBe(false);
    const node = plan.node(id);
    const edges = incoming(id);
    const states = edges.map(({ index }) => plan.edgeState(index));
    if (edges.length > 0) {
      expect(states, `${id} starts without a taken incoming edge`).toContain('taken');
      if ((node.join ?? 'all') === 'all') expect(states, `join-all ${id} starts with undecided edges`).not.toContain('undecided');
    }
    const input = plan.input(id, executionInput);
    const predecessors = new Set(edges.map(({ edge }) => edge.from));
    const takenFrom = [...new Set(edges.filter(({ index }) => plan.edgeState(index) === 'taken').map(({ edge }) => edge.from))];
    if (edges.length === 0) expect(input).toEqual(executionInput);
    else if (predecessors.size === 1) expect(input).toEqual(carried(takenFrom[0]));
    else {
      // Keyed by predecessor, holding exactly the predecessors whose edge was taken.
      expect(Object.keys(input as object).sort()).toEqual([...takenFrom].sort());
      for (const from of takenFrom) expect((input as Record<string, Json>)[from]).toEqual(carried(from));
    }
    run.start(id, 'activity');
    started.add(id);
    startOrder.push(id);
    running.add(id);
  };

  const finishNode = (id: string): void => {
    running.delete(id);
    const index = indexOf.get(id)!;
    finishes++;
    if (graph.nodes[index].ok) {
      completedOrder.push(id);
      cancelled(run.settle(id, { ok: true, output: outputOf(index), attempts: 1, mirrored: true }));
    } else {
      const error = errorOf(id);
      cancelled(run.settle(id, { ok: false, error }));
      expect(plan.state(id)).toMatchObject({ status: 'failed', error });
    }
    if (stopAt && finishes === stopAt.afterFinishes && !stopped()) {
      const toCancel = stopAt.kind === 'cancel' ? run.cancel() : run.deadlinePassed('1m', '2026-01-01T00:01:00.000Z');
      if (toCancel.length > 0) runningAtStop.splice(0, runningAtStop.length, ...toCancel);
      cancelled(toCancel);
    }
  };

  // Each round finishes one running node, so 2 rounds per node is a generous bound.
  const maxRounds = 2 * count + 2;
  for (let round = 0; ; round++) {
    if (round > maxRounds) throw new Error('the simulation did not terminate');
    if (!stopped()) {
      const ready = plan.ready();
      checkReady(ready);
      for (const id of ready) {
        if (stopped()) break;
        if (plan.state(id).status !== 'pending') continue;
        // Start a random subset, but never let the execution stall with nothing running.
        if ((running.size === 0 && id === ready[ready.length - 1]) || pick(2) === 0) startNode(id);
      }
    }
    if (running.size === 0) {
      if (!stopped() && plan.ready().length > 0) continue;
      break;
    }
    const list = [...running];
    finishNode(list[pick(list.length)]);
  }
  expect(plan.settled(0)).toBe(true);
  expect(violations).toEqual([]);
  // Nodes failed by a throwing `when` never started, and a throwing `when` leads into each.
  const faulted = new Set(
    document.nodes
      .filter((node) => {
        const state = plan.state(node.id);
        return state.status === 'failed' && state.error.type === 'ExpressionError' && !started.has(node.id);
      })
      .map((node) => node.id),
  );
  for (const id of faulted) {
    const faultEdges = graph.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => idOf(edge.to) === id && edge.when === 'throw');
    expect(faultEdges.length, `${id} failed by a fault without a throwing when`).toBeGreaterThan(0);
    for (const { index } of faultEdges) expect(plan.edgeState(index)).not.toBe('taken');
  }
  const unhandled = run.failure !== undefined && !run.timedOut;
  return { plan, run, unhandled, started: startOrder, faulted, completed: completedOrder, runningAtStop };
}

/** Independent model of DESIGN §4 without edge faults: statuses in topological order. */
function referenceRun(graph: GenGraph): { status: string[]; unhandled: boolean } {
  const taken = graph.edges.map(() => false);
  const status: string[] = [];
  let unhandled = false;
  graph.nodes.forEach((node, index) => {
    const into = graph.edges.map((edge, i) => ({ edge, i })).filter(({ edge }) => edge.to === index);
    const runs = into.length === 0 || into.some(({ i }) => taken[i]);
    const out = graph.edges.map((edge, i) => ({ edge, i })).filter(({ edge }) => edge.from === index);
    if (!runs) {
      status.push('skipped');
      return;
    }
    const on = (edge: GenEdge) => edge.on ?? 'success';
    if (node.ok) {
      status.push('completed');
      for (const { edge, i } of out) taken[i] = on(edge) !== 'error' && edge.when !== false;
    } else {
      status.push('failed');
      for (const { edge, i } of out) taken[i] = on(edge) !== 'success' && edge.when !== false;
      if (!out.some(({ edge, i }) => on(edge) === 'error' && taken[i])) unhandled = true;
    }
  });
  return { status, unhandled };
}

/** End-of-run invariants shared by both properties. */
function checkFinalState(graph: GenGraph, sim: Simulation): void {
  const { plan } = sim;
  const document = toDocument(graph);
  for (const node of document.nodes) {
    const status = plan.state(node.id).status;
    // Every node ends in a terminal status: none pending or running.
    expect(TERMINAL, `${node.id} ended ${status}`).toContain(status);
    const into = document.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => edge.to === node.id);
    if (status === 'skipped') {
      // Skipped means every incoming edge was skipped: in particular a join-all node with a
      // taken incoming edge is never skipped.
      expect(into.length).toBeGreaterThan(0);
      for (const { index } of into) expect(plan.edgeState(index), `${node.id} skipped with a taken edge`).toBe('skipped');
    }
    if (status === 'completed') expect(sim.started).toContain(node.id);
    if (status === 'failed' && !sim.faulted.has(node.id)) expect(sim.started).toContain(node.id);
    if (status === 'cancelled') expect(sim.unhandled, `${node.id} cancelled without an unhandled failure`).toBe(true);
  }
  // No node starts twice.
  expect(new Set(sim.started).size).toBe(sim.started.length);
  const unhandledFailures = document.nodes.filter((node) => {
    const state = plan.state(node.id);
    return state.status === 'failed' && !state.handled;
  });
  if (sim.unhandled) {
    // The first unhandled failure stops everything. With edge faults, a failing node may also
    // fail the target of its error edge (its `when` threw) before it is itself decided.
    if (sim.faulted.size === 0) expect(unhandledFailures).toHaveLength(1);
    else expect(unhandledFailures.length).toBeGreaterThanOrEqual(1);
  } else {
    expect(unhandledFailures).toHaveLength(0);
    // A run that went through decided every edge.
    document.edges.forEach((_, index) => expect(plan.edgeState(index)).not.toBe('undecided'));
  }
}

const picksArb = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 40 });

/** Failed for good and not handled by an error edge. */
const unhandledFailed = (plan: GraphPlan): string[] =>
  plan.nodes
    .filter((node) => {
      const state = plan.state(node.id);
      return state.status === 'failed' && !state.handled;
    })
    .map((node) => node.id);

const stopArb: fc.Arbitrary<Stop> = fc.record({ kind: fc.constantFrom<Stop['kind']>('cancel', 'deadline'), afterFinishes: fc.integer({ min: 0, max: MAX_NODES }) });

describe('planner properties', () => {
  it('terminates with every node final, and agrees with an order-independent model of DESIGN §4', () => {
    fc.assert(
      fc.property(dagArbitrary(false), picksArb, (graph, picks) => {
        const sim = simulate(graph, picks, { start: true });
        checkFinalState(graph, sim);
        const reference = referenceRun(graph);
        expect(sim.unhandled).toBe(reference.unhandled);
        graph.nodes.forEach((_, index) => {
          const actual = sim.plan.state(idOf(index)).status;
          // Before an abort, every decision matches the model; an abort only cancels.
          if (actual !== 'cancelled') expect(actual, `status of ${idOf(index)}`).toBe(reference.status[index]);
        });
        if (!sim.unhandled) {
          expect(sim.started.sort()).toEqual(
            reference.status.flatMap((status, index) => (status === 'skipped' ? [] : [idOf(index)])).sort(),
          );
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps the invariants when `when` expressions throw (their targets fail with ExpressionError)', () => {
    fc.assert(
      fc.property(dagArbitrary(true), picksArb, (graph, picks) => {
        const sim = simulate(graph, picks, [1, 2, 3]);
        checkFinalState(graph, sim);
        for (const id of sim.faulted) {
          const state = sim.plan.state(id);
          expect(state.status).toBe('failed');
          if (state.status === 'failed') expect(state.error.type).toBe('ExpressionError');
          expect(sim.started).not.toContain(id);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('the end of a run: status, error, dead letter, failed nodes and compensation order follow DESIGN §4', () => {
    fc.assert(
      fc.property(dagArbitrary(false), picksArb, fc.constantFrom<'dlq' | 'fail' | undefined>(undefined, 'dlq', 'fail'), (graph, picks, onFailure) => {
        const sim = simulate(graph, picks, null);
        const reference = referenceRun(graph);
        const end = sim.run.end;
        expect(finalStatus(end)).toBe(reference.unhandled ? 'failed' : 'completed');
        const error = finalError(end);
        const failed = unhandledFailed(sim.plan);
        if (reference.unhandled) {
          // Without faults exactly one node fails the execution; its own type stays beside it.
          expect(failed).toHaveLength(1);
          expect(error).toMatchObject({ type: 'NodeFailed', node: { nodeId: failed[0], type: 'Boom' } });
          expect(error!.message).toContain(`node "${failed[0]}" failed`);
          expect(needsDeadLetter(end, onFailure)).toBe(onFailure !== 'fail');
          // The dead letter names the failed node, then those it interrupted (they were running).
          expect(failedNodeIds(sim.plan, sim.run.interrupted)).toEqual([...failed, ...sim.runningAtStop]);
          for (const id of sim.runningAtStop) expect(sim.plan.state(id).status).toBe('cancelled');
        } else {
          expect(error).toBeNull();
          expect(needsDeadLetter(end, onFailure)).toBe(false);
          expect(failedNodeIds(sim.plan, sim.run.interrupted)).toEqual([]);
        }
        // Compensation: completed nodes that declare it, newest first.
        const expected = [...sim.completed].reverse().filter((id) => graph.nodes[Number(id.slice(1))].compensate);
        expect(compensationOrder(sim.plan)).toEqual(expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a throwing `when` fails its target with ExpressionError, which names the execution failure when unhandled', () => {
    fc.assert(
      fc.property(dagArbitrary(true), picksArb, (graph, picks) => {
        const sim = simulate(graph, picks, null);
        const error = finalError(sim.run.end);
        if (error === null) {
          expect(unhandledFailed(sim.plan)).toEqual([]);
          return;
        }
        // The first unhandled failure names the execution error; its type is ExpressionError
        // exactly when that node was failed by a fault.
        const first = error.node!.nodeId;
        expect(unhandledFailed(sim.plan)).toContain(first);
        expect(error.type).toBe(sim.faulted.has(first) ? 'ExpressionError' : 'NodeFailed');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('cancel and deadline stop everything: every node final, the right status, error and dead letter', () => {
    fc.assert(
      fc.property(dagArbitrary(false), picksArb, stopArb, (graph, picks, stop) => {
        const sim = simulate(graph, picks, null, stop);
        const end = sim.run.end;
        for (const node of sim.plan.nodes) expect(TERMINAL, node.id).toContain(sim.plan.state(node.id).status);
        if (!end.cancelled && !end.timedOut) return; // the run ended before the stop came
        if (end.cancelled) {
          expect(finalStatus(end)).toBe('cancelled');
          expect(finalError(end)).toEqual({ type: 'Cancelled', message: 'execution was cancelled' });
          expect(needsDeadLetter(end, 'dlq')).toBe(false);
        } else {
          expect(finalStatus(end)).toBe('timed_out');
          expect(finalError(end)).toMatchObject({ type: 'DeadlineExceeded' });
          expect(needsDeadLetter(end, 'dlq')).toBe(true);
          expect(needsDeadLetter(end, 'fail')).toBe(false);
          expect(failedNodeIds(sim.plan, sim.run.interrupted)).toEqual(sim.runningAtStop);
        }
        // Nothing started after the stop, and what ran at the stop ended cancelled.
        for (const id of sim.runningAtStop) expect(sim.plan.state(id).status).toBe('cancelled');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('defaultOutput is the single completed sink output, or keyed by completed sinks', () => {
    fc.assert(
      fc.property(dagArbitrary(false), picksArb, (graph, picks) => {
        const sim = simulate(graph, picks, null);
        const sinks = graph.nodes.map((_, index) => index).filter((index) => !graph.edges.some((edge) => edge.from === index));
        const completed = sinks.filter((index) => sim.plan.state(idOf(index)).status === 'completed');
        const output = defaultOutput(sim.plan);
        if (completed.length === 0) expect(output).toBeNull();
        else if (completed.length === 1) expect(output).toEqual(outputOf(completed[0]));
        else expect(output).toEqual(Object.fromEntries(completed.map((index) => [idOf(index), outputOf(index)])));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

interface CycleCase {
  ids: string[];
  edges: { from: string; to: string }[];
}

/** A random DAG over shuffled ids (edges from lower to higher rank), edges in random order. */
const dagCaseArb: fc.Arbitrary<CycleCase & { rank: string[] }> = fc.integer({ min: 1, max: 15 }).chain((count) => {
  const rank = Array.from({ length: count }, (_, i) => `v${i}`);
  return fc
    .record({
      order: fc.shuffledSubarray(rank, { minLength: count, maxLength: count }),
      pairs:
        count < 2
          ? fc.constant<[number, number][]>([])
          : fc.uniqueArray(
              fc.tuple(fc.nat({ max: count - 1 }), fc.nat({ max: count - 1 })).filter(([a, b]) => a < b),
              { maxLength: count * 2, selector: ([a, b]) => `${a}-${b}` },
            ),
    })
    .map(({ order, pairs }) => ({ rank, ids: order, edges: pairs.map(([a, b]) => ({ from: rank[a], to: rank[b] })) }));
});

function expectRealCycle(cycle: string[] | undefined, edges: { from: string; to: string }[]): void {
  expect(cycle).toBeDefined();
  const path = cycle!;
  expect(path.length).toBeGreaterThanOrEqual(2);
  expect(path[0]).toBe(path[path.length - 1]);
  expect(new Set(path.slice(0, -1)).size).toBe(path.length - 1);
  for (let i = 0; i + 1 < path.length; i++) {
    expect(edges.some((edge) => edge.from === path[i] && edge.to === path[i + 1]), `${path[i]} -> ${path[i + 1]} is an edge`).toBe(true);
  }
}

describe('findCycle properties', () => {
  it('never reports a cycle in a DAG', () => {
    fc.assert(
      fc.property(dagCaseArb, ({ ids, edges }) => {
        expect(findCycle(ids, edges)).toBeUndefined();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('always reports a real cycle once a back edge is injected', () => {
    fc.assert(
      fc.property(dagCaseArb, fc.array(fc.nat(), { minLength: 16, maxLength: 16 }), fc.nat(), ({ ids, edges }, walk, at) => {
        // Walk forward from a random node along existing edges, then close the loop back.
        const start = ids[walk[0] % ids.length];
        let end = start;
        for (const step of walk.slice(1)) {
          const next = edges.filter((edge) => edge.from === end);
          if (next.length === 0 || step % 4 === 0) break;
          end = next[step % next.length].to;
        }
        const withBack = [...edges];
        withBack.splice(at % (edges.length + 1), 0, { from: end, to: start });
        expectRealCycle(findCycle(ids, withBack), withBack);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('validateGraph accepts random DAG documents and reports an injected cycle at a real edge', () => {
    fc.assert(
      fc.property(dagCaseArb, fc.nat(), fc.nat(), ({ ids, edges, rank }, a, b) => {
        const nodes = ids.map((id) => ({ id, type: 'noop' }));
        expect(validateGraph({ id: 'g', version: 1, nodes, edges }).problems).toEqual([]);
        // A back edge from a node to one of lower or equal rank closes a cycle only if a path
        // exists, so add a whole path: low -> high directly, then high -> low.
        const [i, j] = [a % rank.length, b % rank.length];
        const low = rank[Math.min(i, j)];
        const high = rank[Math.max(i, j)];
        const cyclic = [...edges, { from: low, to: high }, { from: high, to: low }];
        const result = validateGraph({ id: 'g', version: 1, nodes, edges: cyclic });
        expect(result.ok).toBe(false);
        const problem = result.problems.find((p) => p.message.startsWith('graph has a cycle: '));
        expect(problem).toBeDefined();
        const cycle = problem!.message.slice('graph has a cycle: '.length).split(' -> ');
        expectRealCycle(cycle, cyclic);
        // The path names the edge that closes the reported cycle.
        const index = Number(/^\$\.edges\[(\d+)\]$/.exec(problem!.path)?.[1]);
        expect(cyclic[index]).toEqual({ from: cycle[cycle.length - 2], to: cycle[cycle.length - 1] });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
