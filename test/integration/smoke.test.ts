import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

test('a chain of mock and transform nodes completes and is mirrored', async () => {
  const graph = {
    id: 'smoke',
    version: 1,
    nodes: [
      { id: 'a', type: 'mock', config: { output: { n: { $expr: 'input.n * 2' } } } },
      { id: 'b', type: 'transform', config: { output: { m: { $expr: 'input.n + 1' } } } },
    ],
    edges: [{ from: 'a', to: 'b' }],
  };
  const started = await engine.client.start({ organizationId: 'default', graph, input: { n: 5 } });
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ m: 11 });
  expect(view.steps.a.status).toBe('completed');
  expect(view.steps.a.attempts).toBe(1);
  expect(view.steps.b.status).toBe('completed');
});
