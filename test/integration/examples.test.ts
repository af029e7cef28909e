/** The example graphs the README shows run to completion, as a new user would run them. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

const example = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));

test('hello.json completes with no input and with the README input', async () => {
  const graph = { ...example('hello.json'), id: graphId('hello') };
  const noInput = await engine.client.start({ organizationId: 'default', graph });
  const view = await engine.client.waitForEnd('default', noInput.executionId);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ small: { n: 8, size: 'small' } });
  expect(view.steps.report.attempts).toBe(2);
  expect((await run(engine, graph, { n: 7 })).output).toEqual({ big: { n: 14, size: 'big' } });
});

test('order-pipeline.json completes with examples/inputs/order.json', async () => {
  const input = JSON.parse(readFileSync(new URL('../../examples/inputs/order.json', import.meta.url), 'utf8'));
  const view = await run(engine, { ...example('order-pipeline.json'), id: graphId('order') }, input);
  expect(view.status).toBe('completed');
  expect(view.output).toEqual({ order: 'A-1001', lines: [12, 12], shipped: true });
  expect(view.steps.notify_failure.status).toBe('skipped');
});
