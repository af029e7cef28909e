/**
 * DESIGN §4 execution semantics, each rule on the real Temporal dev server and Postgres.
 * `mock` nodes without `output` echo their input, so a node's stored output shows its input.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { run, statuses, stepOutput } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

describe('input', () => {
  test('zero incoming edges: the execution input; one: the predecessor output; many: keyed by predecessor', async () => {
    const view = await run(
      engine,
      {
        nodes: [
          { id: 'root', type: 'mock' },
          { id: 'left', type: 'mock', config: { output: { side: 'left', n: { $expr: 'input.n' } } } },
          { id: 'right', type: 'transform', config: { output: { side: 'right' } } },
          { id: 'one', type: 'mock' },
          { id: 'merge', type: 'mock' },
        ],
        edges: [
          { from: 'root', to: 'left' },
          { from: 'root', to: 'right' },
          { from: 'left', to: 'one' },
          { from: 'left', to: 'merge' },
          { from: 'right', to: 'merge' },
        ],
      },
      { n: 4 },
    );
    expect(view.status).toBe('completed');
    expect(await stepOutput(engine, view.executionId, 'root')).toEqual({ n: 4 });
    expect(await stepOutput(engine, view.executionId, 'one')).toEqual({ side: 'left', n: 4 });
    expect(await stepOutput(engine, view.executionId, 'merge')).toEqual({ left: { side: 'left', n: 4 }, right: { side: 'right' } });
  });
});

describe('edges and joins', () => {
  const ifElse = {
    nodes: [
      { id: 'check', type: 'mock', config: { output: { n: { $expr: 'input.n' } } } },
      { id: 'big', type: 'transform', config: { output: { branch: 'big' } } },
      { id: 'small', type: 'transform', config: { output: { branch: 'small' } } },
      { id: 'after_big', type: 'noop' },
      { id: 'merge', type: 'mock' },
    ],
    edges: [
      { from: 'check', to: 'big', when: 'output.n > 10' },
      { from: 'check', to: 'small', when: 'output.n <= 10' },
      { from: 'big', to: 'after_big' },
      { from: 'after_big', to: 'merge' },
      { from: 'small', to: 'merge' },
    ],
  };

  test('when decides success edges; a skipped node skips its edges; the merge runs once with the taken branch', async () => {
    const small = await run(engine, ifElse, { n: 3 });
    expect(statuses(small)).toEqual({ check: 'completed', big: 'skipped', small: 'completed', after_big: 'skipped', merge: 'completed' });
    expect(small.steps.merge.attempts).toBe(1);
    expect(await stepOutput(engine, small.executionId, 'merge')).toEqual({ small: { branch: 'small' } });

    const big = await run(engine, ifElse, { n: 30 });
    expect(statuses(big)).toEqual({ check: 'completed', big: 'completed', small: 'skipped', after_big: 'completed', merge: 'completed' });
    expect(await stepOutput(engine, big.executionId, 'merge')).toEqual({ after_big: { branch: 'big' } });
  });

  test('join all with every incoming edge skipped skips the node', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'a', type: 'mock', config: { output: { go: false } } },
        { id: 'b', type: 'noop' },
        { id: 'c', type: 'noop' },
        { id: 'd', type: 'mock' },
      ],
      edges: [
        { from: 'a', to: 'b', when: 'output.go' },
        { from: 'a', to: 'c', when: 'output.go' },
        { from: 'b', to: 'd' },
        { from: 'c', to: 'd' },
      ],
    });
    expect(view.status).toBe('completed');
    expect(statuses(view)).toEqual({ a: 'completed', b: 'skipped', c: 'skipped', d: 'skipped' });
    expect(view.output).toBeNull();
  });

  test('join any runs at the first taken edge and ignores later ones', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'start', type: 'noop' },
        { id: 'fast', type: 'mock', config: { output: 'fast' } },
        { id: 'slow', type: 'mock', config: { output: 'slow', delayMs: 1500 } },
        { id: 'first', type: 'mock', join: 'any' },
      ],
      edges: [
        { from: 'start', to: 'fast' },
        { from: 'start', to: 'slow' },
        { from: 'fast', to: 'first' },
        { from: 'slow', to: 'first' },
      ],
    });
    expect(view.status).toBe('completed');
    expect(view.steps.first.attempts).toBe(1);
    expect(await stepOutput(engine, view.executionId, 'first')).toEqual({ fast: 'fast' });
    // `first` ran before `slow` finished: it did not wait for the join.
    expect(Date.parse(view.steps.first.finishedAt!)).toBeLessThan(Date.parse(view.steps.slow.finishedAt!));
  });

  test('an error edge handles a failure: its target gets the error and the execution goes on', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'charge', type: 'mock', config: { fail: { type: 'CardDeclined', message: 'declined', nonRetryable: true } } },
        { id: 'ship', type: 'mock' },
        { id: 'apologize', type: 'mock' },
        { id: 'audit', type: 'mock' },
      ],
      edges: [
        { from: 'charge', to: 'ship' },
        { from: 'charge', to: 'apologize', on: 'error' },
        { from: 'charge', to: 'audit', on: 'always' },
      ],
    });
    expect(view.status).toBe('completed');
    expect(statuses(view)).toEqual({ charge: 'failed', ship: 'skipped', apologize: 'completed', audit: 'completed' });
    const error = { error: { nodeId: 'charge', type: 'CardDeclined', message: 'declined', attempts: 1 } };
    expect(await stepOutput(engine, view.executionId, 'apologize')).toEqual(error);
    expect(await stepOutput(engine, view.executionId, 'audit')).toEqual(error);
    expect(view.steps.charge.error).toMatchObject({ type: 'CardDeclined' });
  });

  test('an error edge whose when is false does not handle the failure', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'charge', type: 'mock', config: { fail: { type: 'CardDeclined', nonRetryable: true } } },
        { id: 'retry_later', type: 'mock' },
      ],
      edges: [{ from: 'charge', to: 'retry_later', on: 'error', when: "output.error.type == 'Timeout'" }],
    });
    expect(view.status).toBe('failed');
    // The failure stops the execution before the target is decided: it never started, so cancelled.
    expect(statuses(view)).toEqual({ charge: 'failed', retry_later: 'cancelled' });
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'charge', type: 'CardDeclined' } });
  });
});

describe('parallelism', () => {
  test('never more than maxParallelism activity nodes run at once', async () => {
    const fan = Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, type: 'mock', config: { delayMs: 400 } }));
    const view = await run(engine, {
      settings: { maxParallelism: 3 },
      nodes: [{ id: 'start', type: 'noop' }, ...fan],
      edges: fan.map((node) => ({ from: 'start', to: node.id })),
    });
    expect(view.status).toBe('completed');
    const intervals = fan.map((node) => [Date.parse(view.steps[node.id].startedAt!), Date.parse(view.steps[node.id].finishedAt!)]);
    const maxOverlap = Math.max(...intervals.map(([start]) => intervals.filter(([s, f]) => s <= start && start < f).length));
    expect(maxOverlap).toBeLessThanOrEqual(3);
    // and they did run in parallel, not one by one
    expect(maxOverlap).toBeGreaterThanOrEqual(2);
  });

  test('all ready nodes start at once by default', async () => {
    const fan = Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, type: 'mock', config: { delayMs: 800 } }));
    const view = await run(engine, { nodes: [{ id: 'start', type: 'noop' }, ...fan], edges: fan.map((node) => ({ from: 'start', to: node.id })) });
    const starts = fan.map((node) => Date.parse(view.steps[node.id].startedAt!));
    const finishes = fan.map((node) => Date.parse(view.steps[node.id].finishedAt!));
    expect(Math.max(...starts)).toBeLessThan(Math.min(...finishes));
  });
});

describe('output', () => {
  test('settings.output wins', async () => {
    const view = await run(
      engine,
      {
        settings: { output: { total: { $expr: 'nodes.b.output.v + execution.input.base' }, graph: { $expr: 'execution.graphId' } } },
        nodes: [
          { id: 'a', type: 'mock', config: { output: { v: 2 } } },
          { id: 'b', type: 'transform', config: { output: { v: { $expr: 'input.v * 10' } } } },
        ],
        edges: [{ from: 'a', to: 'b' }],
      },
      { base: 1 },
    );
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ total: 21, graph: view.graphId });
  });

  test('the single completed sink, or completed sinks keyed by id (skipped ones left out)', async () => {
    const single = await run(engine, { nodes: [{ id: 'a', type: 'mock', config: { output: { x: 1 } } }] });
    expect(single.output).toEqual({ x: 1 });

    const several = await run(engine, {
      nodes: [
        { id: 'a', type: 'noop' },
        { id: 's1', type: 'transform', config: { output: 1 } },
        { id: 's2', type: 'transform', config: { output: 2.5 } },
        { id: 's3', type: 'transform', config: { output: 3 } },
      ],
      edges: [
        { from: 'a', to: 's1' },
        { from: 'a', to: 's2' },
        { from: 'a', to: 's3', when: 'false' },
      ],
    });
    expect(several.output).toEqual({ s1: 1, s2: 2.5 });
  });

  test('a delay node is a durable timer and passes its input on', async () => {
    const view = await run(engine, { nodes: [{ id: 'wait', type: 'delay', config: { duration: '300ms' } }] }, { ok: true });
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ ok: true });
    expect(Date.parse(view.steps.wait.finishedAt!) - Date.parse(view.steps.wait.startedAt!)).toBeGreaterThanOrEqual(250);
  });
});
