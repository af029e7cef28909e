/**
 * The wide and long graph shapes of DESIGN §11, built in code (a 10,000-node document is no
 * file to read): a fan-out of mock activities, and a layered graph of mostly inline nodes.
 */
import type { GraphEdge as Edge, GraphNode as Node } from '../../src/workflows/graph/types';

export interface BuiltGraph {
  nodes: Node[];
  edges: Edge[];
  settings?: { maxParallelism?: number };
}

/** start → `width` mocks → join; the join outputs how many branches reached it, and the first and last branch's value. */
export function fanOutGraph(width: number, maxParallelism = width): BuiltGraph {
  const branches = Array.from({ length: width }, (_, i) => `m_${i}`);
  const nodes: Node[] = [
    { id: 'start', type: 'transform', config: { output: { base: { $expr: 'has(input.base) ? input.base : 0' } } } },
    ...branches.map((id, i) => ({ id, type: 'mock', config: { output: { v: { $expr: `input.base + ${i}` } } } })),
    // A mock, so the fan-in ends on an activity like the fan-out began.
    {
      id: 'join',
      type: 'mock',
      config: { output: { branches: { $expr: 'size(input)' }, first: { $expr: 'input.m_0.v' }, last: { $expr: `input.m_${width - 1}.v` } } },
    },
  ];
  const edges = [...branches.map((id) => ({ from: 'start', to: id })), ...branches.map((id) => ({ from: id, to: 'join' }))];
  return { nodes, edges, settings: { maxParallelism } };
}

/**
 * `total` nodes in layers of `width`: a mock `first`, then layers whose two end nodes are
 * mocks and whose others are inline, then a mock `last` reading every node of the final
 * layer. Most layers are noops with one predecessor; every third reads two (i and i+1 of the
 * layer before) and counts depth, so `last` outputs how many such layers the data passed.
 * Ids are short (`n<index>`) to keep 10,000 nodes under the 1 MiB document limit.
 */
export function layeredGraph(total: number, width: number): { graph: BuiltGraph; depth: number; lastLayer: number } {
  const nodes: Node[] = [{ id: 'first', type: 'mock', config: { output: { d: 0 } } }];
  const edges: Edge[] = [];
  let previous = ['first'];
  let depth = 0;
  for (let layer = 0; nodes.length < total - 1; layer++) {
    const size = Math.min(width, total - 1 - nodes.length);
    const current = Array.from({ length: size }, (_, i) => `n${nodes.length + i}`);
    const counts = layer % 3 === 2;
    if (counts) depth += 1;
    current.forEach((id, i) => {
      const mockAtEnd = i === 0 || i === size - 1;
      // A narrower last layer gathers the leftovers of the one before into its last node.
      const leftovers = i === size - 1 ? previous.slice(size) : [];
      const from = [previous[i % previous.length], ...(counts ? [previous[(i + 1) % previous.length]] : []), ...leftovers];
      const unique = [...new Set(from)];
      for (const source of unique) edges.push({ from: source, to: id });
      const d = unique.length === 1 ? 'input.d' : `input.${unique[0]}.d`;
      const output = { d: { $expr: counts ? `${d} + 1` : d } };
      if (mockAtEnd) nodes.push({ id, type: 'mock', config: { output } });
      else if (counts) nodes.push({ id, type: 'transform', config: { output } });
      else nodes.push({ id, type: 'noop' });
    });
    previous = current;
  }
  nodes.push({ id: 'last', type: 'mock', config: { output: { d: { $expr: `input.${previous[0]}.d` }, reached: { $expr: 'size(input)' } } } });
  for (const id of previous) edges.push({ from: id, to: 'last' });
  return { graph: { nodes, edges }, depth, lastLayer: previous.length };
}
