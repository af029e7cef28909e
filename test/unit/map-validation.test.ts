import { describe, expect, it } from 'vitest';
import { renderNodeConfig } from '../../src/workflows/graph/node-config';
import { nodeTypeSpec } from '../../src/workflows/graph/node-types';
import { validateGraph } from '../../src/workflows/graph/validate';

function mapGraph(config: unknown) {
  return { id: 'm', version: 1, nodes: [{ id: 'each', type: 'map', config }] };
}

function problems(config: unknown) {
  const result = validateGraph(mapGraph(config));
  return result.ok ? [] : result.problems;
}

describe('map validation', () => {
  it('accepts an activity item node whose expressions read item and index', () => {
    expect(problems({ items: { $expr: 'input.list' }, maxConcurrency: 5, onItemFailure: 'continue', node: { type: 'mock', config: { output: { $expr: "{'i': index, 'v': item}" } }, retry: { maxAttempts: 2 } } })).toEqual([]);
  });

  it('refuses an item node that is not an activity type, naming the path', () => {
    expect(problems({ items: [1], node: { type: 'transform', config: { output: 1 } } })).toEqual([{ path: '$.nodes[0].config.node.type', message: expect.stringContaining('must be an activity type') }]);
    expect(problems({ items: [1], node: { type: 'nope' } })).toEqual([{ path: '$.nodes[0].config.node.type', message: 'unknown node type "nope"' }]);
  });

  it("checks the item node's config against its type", () => {
    expect(problems({ items: [1], node: { type: 'mock', config: { delayMs: 'soon' } } })[0]).toMatchObject({ path: '$.nodes[0].config.node.config.delayMs' });
  });

  it('item and index exist only in the item node config', () => {
    expect(problems({ items: { $expr: 'item' }, node: { type: 'mock' } })[0]).toMatchObject({ path: '$.nodes[0].config.items', message: expect.stringContaining('does not type-check') });
    const other = validateGraph({ id: 'x', version: 1, nodes: [{ id: 'a', type: 'mock', config: { output: { $expr: 'item' } } }] });
    expect(other.ok).toBe(false);
  });

  it('bounds items, concurrency and the failure mode', () => {
    expect(problems({ items: Array.from({ length: 10_001 }, () => 0), node: { type: 'mock' } })[0]).toMatchObject({ path: '$.nodes[0].config.items', message: 'a map runs over at most 10000 items' });
    expect(problems({ items: [1], maxConcurrency: 201, node: { type: 'mock' } })[0]).toMatchObject({ path: '$.nodes[0].config.maxConcurrency' });
    expect(problems({ items: [1], onItemFailure: 'ignore', node: { type: 'mock' } })[0]).toMatchObject({ path: '$.nodes[0].config.onItemFailure' });
    expect(problems({ items: [1] })[0]).toMatchObject({ path: '$.nodes[0].config.node' });
  });
});

describe('rendering a map config', () => {
  it('evaluates its own fields and leaves the item node for each item', () => {
    const node = { id: 'each', type: 'map', config: { items: { $expr: 'input.list' }, node: { type: 'mock', config: { output: { $expr: 'item' } } } } };
    const rendered = renderNodeConfig(node, 0, nodeTypeSpec('map')!, true, () => ({ input: { list: [1, 2] }, execution: {}, nodes: {} }));
    expect(rendered).toEqual({ ok: true, config: { items: [1, 2], node: { type: 'mock', config: { output: { $expr: 'item' } } } } });
  });

  it('a computed items that is not a list is InvalidConfig', () => {
    const node = { id: 'each', type: 'map', config: { items: { $expr: 'input.list' }, node: { type: 'mock' } } };
    const rendered = renderNodeConfig(node, 0, nodeTypeSpec('map')!, true, () => ({ input: { list: 'no' }, execution: {}, nodes: {} }));
    expect(rendered).toMatchObject({ ok: false, error: { type: 'InvalidConfig', nodeId: 'each' } });
  });
});

describe('map over a subgraph', () => {
  it('accepts a subgraph item node and refuses one that runs its own graph', () => {
    expect(problems({ items: [1], node: { type: 'subgraph', config: { graphId: 'other' } } })).toEqual([]);
    expect(problems({ items: [1], node: { type: 'subgraph', config: { graphId: 'm' } } })).toEqual([{ path: '$.nodes[0].config.node.config.graphId', message: expect.stringContaining('recursion is refused') }]);
  });
});
