/**
 * Where a graph may refer to a secret: only in the config of a node type that declares
 * acceptsSecrets. The registered mock and transform do not; a type declared only here does.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { ActivityNodeType } from '../../src/workflows/graph/node-types';
import { secretPlacementProblems, secretRefsIn } from '../../src/workflows/graph/secret-placement';
import { validateGraph } from '../../src/workflows/graph/validate';

const graph = (nodes: unknown[]) => ({ id: 'g', version: 1, nodes });

/** A type declared for this test only: its config may hold anything, secrets included. */
const acceptingType: ActivityNodeType<unknown> = { runtime: 'activity', compensable: false, acceptsSecrets: true, configSchema: z.unknown(), renderedSchema: z.unknown() };
const refusingType: ActivityNodeType<unknown> = { ...acceptingType, acceptsSecrets: undefined };

describe('secret references in a graph', () => {
  test('a reference in a mock config is refused with its JSON path', () => {
    const result = validateGraph(graph([{ id: 'a', type: 'mock', config: { output: { token: { $secret: 'api-token' } } } }]));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ path: '$.nodes[0].config.output.token', message: expect.stringContaining('node type "mock" does not resolve secrets') }]);
  });

  test('a reference in a transform config, in an array, and in a compensation are each refused', () => {
    const result = validateGraph(
      graph([
        { id: 'a', type: 'transform', config: { output: [1, { $secret: 'x' }] } },
        { id: 'b', type: 'mock', config: {}, compensate: { type: 'mock', config: { output: { $secret: 'y' } } } },
      ]),
    );
    expect(result.problems.map((problem) => problem.path)).toEqual(['$.nodes[0].config.output[1]', '$.nodes[1].compensate.config.output']);
    expect(result.problems[0].message).toContain('"transform"');
  });

  test('a graph without references stays valid, and a "$secret" string is only text', () => {
    expect(validateGraph(graph([{ id: 'a', type: 'mock', config: { output: { note: '$secret', list: ['$secret'] } } }])).ok).toBe(true);
  });

  test('the message lists the types that accept secrets, or says none does', () => {
    const [withList] = secretPlacementProblems('mock', refusingType, { a: { $secret: 'n' } }, '$.nodes[0].config', ['http', 'notify']);
    expect(withList.message).toContain('only the config of "http", "notify" nodes may refer to one');
    const [none] = secretPlacementProblems('mock', refusingType, { $secret: 'n' }, '$.nodes[0].config', []);
    expect(none).toEqual({ path: '$.nodes[0].config', message: expect.stringContaining('no node type registered here may refer to one') });
  });

  test('a type that declares acceptsSecrets takes well-formed references and refuses malformed ones', () => {
    const config = { headers: { authorization: { $secret: 'api.token_1' } }, url: 'https://example.com' };
    expect(secretPlacementProblems('tiny', acceptingType, config, '$.nodes[2].config')).toEqual([]);
    const bad = { a: { $secret: 'Not Valid' }, b: { $secret: 7 }, c: { $secret: 'ok', extra: true } };
    expect(secretPlacementProblems('tiny', acceptingType, bad, '$.nodes[2].config').map((p) => p.path)).toEqual(['$.nodes[2].config.a', '$.nodes[2].config.b', '$.nodes[2].config.c']);
  });

  test('an inline type can never accept secrets, whatever it declares', () => {
    const inline = { runtime: 'inline', configSchema: z.unknown(), renderedSchema: z.unknown(), run: () => null, acceptsSecrets: true } as never;
    expect(secretPlacementProblems('odd', inline, { $secret: 'x' }, '$.nodes[0].config', [])).toHaveLength(1);
  });

  test('secretRefsIn finds references with paths, odd keys quoted', () => {
    expect(secretRefsIn({ 'a b': [{ $secret: 'x' }], c: { d: { $secret: 'y' } } }, '$').map((found) => found.path)).toEqual(['$["a b"][0]', '$.c.d']);
  });
});
