/**
 * The compact carried plan (graph/plan-snapshot.ts): a plan restored from it decides,
 * reads and outputs exactly what the plan it was taken from would, it grows by a character
 * per node and per edge plus what is still read, and the object form of older runs still
 * restores.
 */
import { describe, expect, it } from 'vitest';
import { compactSnapshot, expandSnapshot } from '../../src/workflows/graph/plan-snapshot';
import { GraphPlan } from '../../src/workflows/graph/planner';
import type { GraphDocument, GraphEdge, Json } from '../../src/workflows/graph/types';
import { jsonBytes } from '../../src/workflows/graph/sizes';
import { layeredGraph } from '../helpers/wide-graphs';
import { defaultOutput } from '../../src/workflows/graph/plan-views';

const always = (): boolean => true;

/** a → b (error edge to h), a → c → d; b, c → j; b declares `compensate`. */
const graph: Pick<GraphDocument, 'nodes' | 'edges'> = {
  nodes: [
    { id: 'a', type: 'noop' },
    { id: 'b', type: 'mock', compensate: { type: 'mock' } },
    { id: 'c', type: 'noop' },
    { id: 'd', type: 'noop' },
    { id: 'h', type: 'noop' },
    { id: 'j', type: 'noop' },
  ],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'a', to: 'c' },
    { from: 'c', to: 'd' },
    { from: 'b', to: 'h', on: 'error' },
    { from: 'b', to: 'j' },
    { from: 'c', to: 'j' },
  ] satisfies GraphEdge[],
};

function carriedAndRestored(plan: GraphPlan, keep: (id: string) => boolean = () => true): GraphPlan {
  const wire = JSON.parse(JSON.stringify(compactSnapshot(graph, plan.snapshot(keep)))) as ReturnType<typeof compactSnapshot>;
  return GraphPlan.restore(graph, expandSnapshot(graph, wire));
}

function view(plan: GraphPlan): { states: Record<string, unknown>; ready: string[]; inputs: Record<string, Json> } {
  return {
    states: Object.fromEntries(plan.nodes.map((node) => [node.id, plan.state(node.id)])),
    ready: plan.ready(),
    inputs: Object.fromEntries(plan.ready().map((id) => [id, plan.input(id, { x: 1 })])),
  };
}

describe('compact plan snapshot', () => {
  it('restores a plan that decides and reads what the original would, to the end', () => {
    const original = new GraphPlan(graph);
    original.start('a');
    original.complete('a', { n: 1 }, always);
    original.start('b');
    original.complete('b', { from: 'b' }, always);
    original.start('c');
    original.complete('c', { from: 'c' }, always);
    const restored = carriedAndRestored(original);
    expect(view(restored)).toEqual(view(original));
    expect(restored.completionOrder).toEqual(['b']); // only compensable nodes are ordered
    for (const plan of [original, restored]) {
      for (const id of plan.ready()) {
        plan.start(id);
        plan.complete(id, plan.input(id, null), always);
      }
    }
    expect(view(restored)).toEqual(view(original));
    expect(defaultOutput(restored)).toEqual(defaultOutput(original));
  });

  it('keeps failures with their error, reused nodes, and drops outputs nobody reads', () => {
    const original = new GraphPlan(graph);
    original.start('a');
    original.complete('a', { n: 1 }, always, true);
    original.start('b');
    original.fail('b', { nodeId: 'b', type: 'Boom', message: 'b broke', attempts: 3 }, always);
    const restored = carriedAndRestored(original, (id) => id !== 'a');
    expect(restored.state('b')).toEqual(original.state('b'));
    expect(restored.state('a')).toEqual({ status: 'completed', output: null, reused: true });
    // c's input came from a through its edge, which still carries a's output.
    expect(restored.ready()).toEqual(['c', 'h']);
    expect(restored.input('c', null)).toEqual({ n: 1 });
    expect(restored.input('h', null)).toEqual(original.input('h', null));
  });

  it('still restores the object form older runs carried', () => {
    const original = new GraphPlan(graph);
    original.start('a');
    original.complete('a', { n: 1 }, always);
    const older = JSON.parse(JSON.stringify(original.snapshot(() => true))) as ReturnType<GraphPlan['snapshot']>;
    expect(view(GraphPlan.restore(graph, expandSnapshot(graph, older)))).toEqual(view(original));
  });

  it('refuses a snapshot of another graph or with unknown codes, naming what is wrong', () => {
    const compact = compactSnapshot(graph, new GraphPlan(graph).snapshot(() => true));
    expect(() => expandSnapshot(graph, { ...compact, statuses: 'pp' })).toThrow(/carried plan has 2 nodes and 6 edges, the graph 6 and 6/);
    expect(() => expandSnapshot(graph, { ...compact, statuses: 'ppppp?' })).toThrow(/unknown status code "\?" for node "j"/);
    expect(() => expandSnapshot(graph, { ...compact, edges: 'uuuuu?' })).toThrow(/unknown edge code "\?" at edge 5/);
  });

  it('a 10,000-node graph, all decided but its last node, carries a few bytes per node and edge', () => {
    const { graph: big } = layeredGraph(10_000, 100);
    const plan = new GraphPlan(big);
    for (let ready = plan.ready(); ready.length > 0; ready = plan.ready()) {
      for (const id of ready) {
        if (id === 'last') return expectSmall();
        plan.start(id);
        plan.complete(id, { d: 1 }, always);
      }
    }
    function expectSmall(): void {
      const sinks = new Set(plan.sinks());
      const bytes = jsonBytes(compactSnapshot(big, plan.snapshot((id) => sinks.has(id))));
      // One character per node and per edge, and the values of the edges into `last` (≤ 98 × ~20 bytes).
      expect(bytes).toBeLessThan(big.nodes.length + big.edges.length + 98 * 24 + 512);
      expect(bytes).toBeGreaterThan(big.nodes.length + big.edges.length);
    }
    throw new Error('never reached `last`');
  });
});
