/**
 * The mirror buffer (src/workflows/mirror-buffer.ts): which step updates the workflow sends,
 * when, and how they are merged and split into batches.
 */
import { describe, expect, it } from 'vitest';
import type { StepMeta } from '../../src/workflows/contracts/execution';
import { GraphPlan } from '../../src/workflows/graph/planner';
import type { GraphNode } from '../../src/workflows/graph/types';
import { MirrorBuffer } from '../../src/workflows/mirror-buffer';

const never = (): boolean => false;
const AT = '2026-01-01T00:00:00.000Z';
const base = { graphId: 'g', graphVersion: 1, workflowId: 'w', runId: 'r' };
const nodes = (...specs: [string, string][]): GraphNode[] => specs.map(([id, type]) => ({ id, type }));

describe('MirrorBuffer', () => {
  it('starts with the execution row first and every step pending, or waiting when queued', () => {
    const plan = new GraphPlan({ nodes: nodes(['a', 'mock'], ['b', 'noop']), edges: [] });
    const [running] = new MirrorBuffer('e', 'o').startBatches(plan, { ...base, status: 'running' });
    expect(running.execution?.status).toBe('running');
    expect(running.steps.map((s) => [s.nodeId, s.status, s.final])).toEqual([['a', 'pending', false], ['b', 'pending', false]]);
    const [queued] = new MirrorBuffer('e', 'o').startBatches(plan, { ...base, status: 'queued' });
    expect(queued.steps.every((s) => s.status === 'waiting')).toBe(true);
  });

  it('splits the first steps into batches of at most 500, the execution row in the first', () => {
    const many = Array.from({ length: 1201 }, (_, i): [string, string] => [`n${i}`, 'noop']);
    const batches = new MirrorBuffer('e', 'o').startBatches(new GraphPlan({ nodes: nodes(...many), edges: [] }), { ...base, status: 'running' });
    expect(batches.map((b) => b.steps.length)).toEqual([500, 500, 201]);
    expect(batches.map((b) => b.execution !== undefined)).toEqual([true, false, false]);
  });

  it('reports what the workflow decided as urgent; an activity that mirrored itself is confirmed with the next activity and at the end, never by a flush of its own', () => {
    const plan = new GraphPlan({ nodes: nodes(['inline', 'noop'], ['act', 'mock'], ['wait', 'wait']), edges: [] });
    const buffer = new MirrorBuffer('e', 'o');
    buffer.startBatches(plan, { ...base, status: 'running' });
    const meta = new Map<string, StepMeta>([
      ['inline', { runtime: 'inline', attempts: 0, startedAt: AT }],
      ['act', { runtime: 'activity', startedAt: AT, attempts: 2, mirrored: true }],
      ['wait', { runtime: 'signal', attempts: 0, startedAt: AT }],
    ]);
    for (const id of ['inline', 'act', 'wait']) plan.start(id);
    buffer.observe(plan, meta, AT);
    // A running activity writes its own start; a running wait is shown waiting.
    expect(buffer.takeUrgent().steps.map((s) => [s.nodeId, s.status])).toEqual([['inline', 'running'], ['wait', 'waiting']]);
    plan.complete('inline', { x: 1 }, never);
    plan.complete('act', { y: 2 }, never);
    buffer.observe(plan, meta, AT);
    // A confirmation alone makes nothing urgent: it waits for an activity to ride along with.
    expect(buffer.takeUrgent().steps.map((s) => s.nodeId)).toEqual(['inline']);
    plan.complete('wait', { z: 3 }, never);
    buffer.observe(plan, meta, AT);
    const carried = buffer.takeForActivity();
    expect(carried).toEqual([
      expect.objectContaining({ nodeId: 'act', status: 'completed', attempts: 2, final: true }),
      expect.objectContaining({ nodeId: 'wait', status: 'completed', output: { value: { z: 3 } }, final: true }),
    ]);
    expect(carried[0]).not.toHaveProperty('output');
    expect(buffer.hasUrgent()).toBe(false);
    expect(buffer.takeForActivity()).toEqual([]);
    // The final batch confirms the activity's step without rewriting its output, and sends
    // again what rode along with an activity (that activity may have failed to write it).
    const [final] = buffer.takeFinal({ ...base, status: 'completed' });
    expect(final.execution?.status).toBe('completed');
    const byNode = Object.fromEntries(final.steps.map((s) => [s.nodeId, s]));
    expect(byNode.act).toMatchObject({ status: 'completed', attempts: 2, final: true });
    expect(byNode.act).not.toHaveProperty('output');
    expect(byNode.wait).toMatchObject({ status: 'completed', output: { value: { z: 3 } } });
  });

  it('what an activity says it wrote is not sent again at the end, unless its attempts need settling; what another carried still is', () => {
    const plan = new GraphPlan({
      nodes: [...nodes(['a', 'noop'], ['once', 'mock'], ['retried', 'mock'], ['stopped', 'mock'], ['b', 'noop'], ['last', 'mock']), { id: 'fast', type: 'mock', local: true }],
      edges: [],
    });
    const buffer = new MirrorBuffer('e', 'o');
    buffer.startBatches(plan, { ...base, status: 'running' });
    const activity = (attempts: number): StepMeta => ({ runtime: 'activity', startedAt: AT, attempts, mirrored: true });
    const meta = new Map<string, StepMeta>([['once', activity(1)], ['retried', activity(2)], ['stopped', activity(0)], ['last', activity(1)], ['fast', activity(1)]]);
    for (const id of ['a', 'once', 'retried', 'fast']) {
      plan.start(id);
      plan.complete(id, { id }, never);
    }
    plan.start('stopped');
    plan.cancel('stopped');
    buffer.observe(plan, meta, AT);
    const first = buffer.takeForActivity();
    plan.start('b');
    plan.complete('b', { b: 2 }, never);
    buffer.observe(plan, meta, AT);
    const second = buffer.takeForActivity();
    expect([first.map((s) => s.nodeId).sort(), second.map((s) => s.nodeId)]).toEqual([['a', 'fast', 'once', 'retried', 'stopped'], ['b']]);
    // The first carrier wrote its updates; the second did not say so (it failed to, or an older worker).
    buffer.carriedWritten(first);
    plan.start('last');
    plan.complete('last', { c: 3 }, never);
    buffer.observe(plan, meta, AT);
    const [final] = buffer.takeFinal({ ...base, status: 'completed' });
    // Sent again: a retried step (its first attempt's row is settled by the final flush), a
    // cancelled one (its attempt may still say running), a local node's, and what no activity confirmed.
    expect(final.steps.map((s) => s.nodeId).sort()).toEqual(['b', 'fast', 'last', 'retried', 'stopped']);
    // Forgetting twice, or what was never carried, changes nothing.
    buffer.carriedWritten(first);
    buffer.carriedWritten([{ nodeId: 'x', nodeType: 'noop', status: 'completed', final: true }]);
    expect(buffer.takeFinal().flatMap((batch) => batch.steps)).toEqual([]);
  });

  it('an activity that could not mirror itself has its output written by the workflow', () => {
    const plan = new GraphPlan({ nodes: nodes(['act', 'mock']), edges: [] });
    const buffer = new MirrorBuffer('e', 'o');
    buffer.startBatches(plan, { ...base, status: 'running' });
    plan.start('act');
    plan.complete('act', 7, never);
    buffer.observe(plan, new Map([['act', { runtime: 'activity', attempts: 1, mirrored: false }]]), AT);
    expect(buffer.takeUrgent().steps).toEqual([expect.objectContaining({ nodeId: 'act', status: 'completed', output: { value: 7 } })]);
  });

  it('merges updates of one node into one, later fields winning, final once any was final', () => {
    const plan = new GraphPlan({ nodes: nodes(['a', 'mock']), edges: [] });
    const buffer = new MirrorBuffer('e', 'o');
    buffer.startBatches(plan, { ...base, status: 'running' });
    const meta = new Map<string, StepMeta>([['a', { runtime: 'activity', attempts: 1, mirrored: true }]]);
    plan.start('a');
    plan.complete('a', 1, never);
    buffer.observe(plan, meta, AT);
    plan.markCompensated('a');
    buffer.observe(plan, meta, '2026-01-01T00:00:05.000Z');
    const [final] = buffer.takeFinal();
    expect(final.steps).toHaveLength(1);
    expect(final.steps[0]).toMatchObject({ nodeId: 'a', status: 'compensated', final: true, finishedAt: '2026-01-01T00:00:05.000Z' });
  });

  it('reads only the nodes changed since it last looked, in document order, as a scan of every node would', () => {
    const plan = new GraphPlan({ nodes: nodes(['a', 'noop'], ['b', 'noop'], ['c', 'noop'], ['d', 'noop']), edges: [] });
    const buffer = new MirrorBuffer('e', 'o');
    buffer.startBatches(plan, { ...base, status: 'running' });
    const meta = new Map<string, StepMeta>(['a', 'b', 'c', 'd'].map((id) => [id, { runtime: 'inline', attempts: 0, startedAt: AT }]));
    // Changed out of document order: reported in document order.
    for (const id of ['d', 'b']) plan.start(id);
    buffer.observe(plan, meta, AT);
    expect(buffer.takeUrgent().steps.map((s) => [s.nodeId, s.status])).toEqual([['b', 'running'], ['d', 'running']]);
    // Nothing changed: nothing reported. A node set back to what was last seen: nothing either.
    buffer.observe(plan, meta, AT);
    expect(buffer.hasUrgent()).toBe(false);
    plan.unstart('b');
    plan.start('b');
    plan.complete('d', 4, never);
    buffer.observe(plan, meta, AT);
    expect(buffer.takeUrgent().steps.map((s) => [s.nodeId, s.status])).toEqual([['d', 'completed']]);
    expect(plan.takeChanged()).toEqual([]);
  });

  it('a continued run reports nothing the previous run already mirrored', () => {
    const plan = new GraphPlan({ nodes: nodes(['a', 'noop'], ['b', 'noop']), edges: [] });
    plan.start('a');
    plan.complete('a', 1, never);
    const buffer = new MirrorBuffer('e', 'o');
    buffer.seed(plan);
    buffer.observe(plan, new Map(), AT);
    expect(buffer.hasUrgent()).toBe(false);
    expect(buffer.takeFinal()).toEqual([]);
  });
});
