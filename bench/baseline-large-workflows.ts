/**
 * Hand-written Temporal workflows for the large shapes (bench/graphs.ts): what a developer
 * would write by hand for the same work, calling the same `mock` activity with the configs and
 * inputs the engine renders for it. Inline nodes are plain code here. Deterministic workflow
 * code: only `import type` from activities (through ./baseline-workflows).
 */
import type { Json } from '../src/workflows/graph/types';
import { runMock, withExecutionRow, type BaselineArgs } from './baseline-workflows';

/** start (inline) -> m_0..m_{width-1} -> join: the engine's wideGraph(). */
export async function baselineWide(args: BaselineArgs & { width: number }): Promise<Json> {
  return withExecutionRow(args, async () => {
    const input = (args.input ?? {}) as { base?: number };
    const base = input.base ?? 0;
    const ids = Array.from({ length: args.width }, (_, i) => `m_${i}`);
    const results = await Promise.all(ids.map((id, i) => runMock(args, id, { base }, false, { output: { v: base + i } })));
    const joined: Record<string, Json> = {};
    ids.forEach((id, i) => (joined[id] = results[i].output));
    const first = (results[0].output as { v: number }).v;
    const last = (results[ids.length - 1].output as { v: number }).v;
    return (await runMock(args, 'join', joined, false, { output: { branches: ids.length, first, last } })).output;
  });
}

/** One layer of the layered graph: its end nodes (mocks), its size, and whether it counts depth. */
export interface BaselineLayer {
  mocks: string[];
  size: number;
  counts: boolean;
}

/**
 * The layered graph: `first`, then per layer its (one or two) end mocks in parallel, the inline
 * nodes between them computed here, then `last` reading the final layer. Every node of a layer
 * carries the same depth, so one number stands for the layer's values.
 */
export async function baselineLayered(args: BaselineArgs & { layers: BaselineLayer[] }): Promise<Json> {
  return withExecutionRow(args, async () => {
    let d = ((await runMock(args, 'first', args.input, false, { output: { d: 0 } })).output as { d: number }).d;
    for (const layer of args.layers) {
      const before = d;
      if (layer.counts) d += 1;
      await Promise.all(layer.mocks.map((id) => runMock(args, id, { d: before }, false, { output: { d } })));
    }
    const lastLayer = args.layers.at(-1)!;
    const joined = Object.fromEntries(Array.from({ length: lastLayer.size }, (_, i) => [`l${i}`, { d }]));
    return (await runMock(args, 'last', joined, false, { output: { d, reached: lastLayer.size } })).output;
  });
}

/** A map: every item through the mock (item * 2), `maxConcurrency` at a time, results in item order. */
export async function baselineMap(args: BaselineArgs & { maxConcurrency: number }): Promise<Json> {
  return withExecutionRow(args, async () => {
    const items = (args.input as { items: number[] }).items;
    const results: Json[] = new Array(items.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        results[index] = (await runMock(args, `each[${index}]`, items[index], false, { output: items[index] * 2 })).output;
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.maxConcurrency, items.length) }, lane));
    return results;
  });
}
