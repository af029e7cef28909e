/**
 * The workflow's validation of its graph, remembered per worker thread for the same document
 * (src/workflows/graph/validated-once.ts): the same result as validating again, frozen, and
 * bounded.
 */
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../src/workflows/graph/validate';
import { VALIDATED_GRAPHS_LIMITS, validateGraphOnce } from '../../src/workflows/graph/validated-once';

const graph = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  nodes: [
    { id: 'a', type: 'mock', config: { output: { n: { $expr: 'input.n * 2' } } } },
    { id: 'b', type: 'noop' },
  ],
  edges: [{ from: 'a', to: 'b' }],
  ...extra,
});

describe('validateGraphOnce', () => {
  it('gives what validateGraph gives, the second time from memory, deep-frozen both times', () => {
    const document = graph('remembered');
    const first = validateGraphOnce(document);
    const second = validateGraphOnce(structuredClone(document));
    expect(first).toEqual(validateGraph(document));
    expect(second).toEqual(first);
    if (!first.ok || !second.ok) throw new Error('expected a valid graph');
    // The same document text: the very same validated document, which nobody can change.
    expect(second.graph).toBe(first.graph);
    expect(Object.isFrozen(first.graph.nodes[0].config)).toBe(true);
    expect(() => {
      (first.graph.nodes as unknown as unknown[]).push({ id: 'c', type: 'noop' });
    }).toThrow(TypeError);
  });

  it('tells documents apart by their whole text, and never remembers an invalid one', () => {
    const one = validateGraphOnce(graph('twins'));
    const other = validateGraphOnce(graph('twins', { name: 'a different name' }));
    if (!one.ok || !other.ok) throw new Error('expected valid graphs');
    expect(other.graph).not.toBe(one.graph);
    expect(other.graph.name).toBe('a different name');
    const invalid = { ...graph('broken'), edges: [{ from: 'a', to: 'missing' }] };
    expect(validateGraphOnce(invalid).ok).toBe(false);
    expect(validateGraphOnce(invalid)).toEqual(validateGraph(invalid));
  });

  it('forgets the least recently used documents beyond its limit', () => {
    const graphOf = (result: ReturnType<typeof validateGraphOnce>) => (result.ok ? result.graph : undefined);
    const kept = graphOf(validateGraphOnce(graph('kept')));
    const firstFiller = graphOf(validateGraphOnce(graph('filler-0')));
    for (let i = 1; i < VALIDATED_GRAPHS_LIMITS.entries; i++) {
      validateGraphOnce(graph(`filler-${i}`));
      // Used again and again: the most recently used, never the one evicted.
      expect(graphOf(validateGraphOnce(graph('kept')))).toBe(kept);
    }
    // One past the limit: filler-0, the least recently used, was forgotten and is validated anew.
    expect(graphOf(validateGraphOnce(graph('filler-0')))).not.toBe(firstFiller);
    expect(graphOf(validateGraphOnce(graph('filler-0')))).toEqual(firstFiller);
    expect(graphOf(validateGraphOnce(graph('kept')))).toBe(kept);
  });
});
