/** A node's config as it runs (src/workflows/graph/node-config.ts): rendered, then checked. */
import { describe, expect, it } from 'vitest';
import { renderNodeConfig } from '../../src/workflows/graph/node-config';
import { NODE_TYPES } from '../../src/workflows/graph/node-types';
import type { GraphNode } from '../../src/workflows/graph/types';

const variables = () => ({ input: { n: 3, name: 'x' }, execution: {}, nodes: {} });

describe('renderNodeConfig', () => {
  it('a config without expressions is used as written, without evaluating or checking again', () => {
    const node: GraphNode = { id: 'a', type: 'mock', config: { delayMs: 5 } };
    expect(renderNodeConfig(node, 0, NODE_TYPES.mock, false, () => {
      throw new Error('variables are not needed');
    })).toEqual({ ok: true, config: { delayMs: 5 } });
  });

  it('evaluates expressions with JSON ints as CEL ints', () => {
    const node: GraphNode = { id: 'a', type: 'mock', config: { delayMs: { $expr: 'input.n * 2' }, output: { $expr: 'input.name' } } };
    expect(renderNodeConfig(node, 0, NODE_TYPES.mock, true, variables)).toEqual({ ok: true, config: { delayMs: 6, output: 'x' } });
  });

  it('a failing expression is an ExpressionError of the node naming its path, never retried (attempts 0)', () => {
    const node: GraphNode = { id: 'a', type: 'mock', config: { output: { $expr: 'input.missing' } } };
    const result = renderNodeConfig(node, 4, NODE_TYPES.mock, true, variables);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ nodeId: 'a', type: 'ExpressionError', attempts: 0 });
      expect(result.error.message).toContain('$.nodes[4].config.output');
    }
  });

  it('a rendered value that does not fit the type is InvalidConfig, naming the field', () => {
    const node: GraphNode = { id: 'a', type: 'mock', config: { delayMs: { $expr: 'input.name' } } };
    const result = renderNodeConfig(node, 0, NODE_TYPES.mock, true, variables);
    expect(result).toMatchObject({ ok: false, error: { type: 'InvalidConfig', attempts: 0 } });
    if (!result.ok) expect(result.error.message).toMatch(/config of node "a" is invalid after evaluating expressions: delayMs: /);
  });
});
