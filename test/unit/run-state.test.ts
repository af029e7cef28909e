/** The run's rules of DESIGN §4 as the workflow applies them (src/workflows/graph/run-state.ts). */
import { describe, expect, it } from 'vitest';
import { GraphPlan, type WhenEvaluator } from '../../src/workflows/graph/planner';
import { RunState } from '../../src/workflows/graph/run-state';
import type { GraphEdge, GraphNode } from '../../src/workflows/graph/types';

let clock = 0;
const now = (): string => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString();
const fromWhen: WhenEvaluator = (edge) => {
  if (edge.when === 'throw') throw new Error('no such field');
  return edge.when === 'true';
};
const runOf = (nodes: GraphNode[], edges: GraphEdge[] = []) => new RunState(new GraphPlan({ nodes, edges }), fromWhen, now);
const n = (id: string, extra: Partial<GraphNode> = {}): GraphNode => ({ id, type: 'mock', ...extra });
const boom = (nodeId: string) => ({ nodeId, type: 'Boom', message: 'broke', attempts: 3 });

describe('RunState', () => {
  it('records runtime, start and end times, attempts and whether the activity mirrored itself', () => {
    const run = runOf([n('a')]);
    run.start('a', 'activity');
    expect(run.meta.get('a')).toMatchObject({ runtime: 'activity', attempts: undefined });
    expect(run.settle('a', { ok: true, output: 5, attempts: 2, mirrored: true })).toEqual([]);
    const meta = run.meta.get('a')!;
    expect(meta).toMatchObject({ attempts: 2, mirrored: true });
    expect(Date.parse(meta.finishedAt!)).toBeGreaterThan(Date.parse(meta.startedAt!));
    expect(run.plan.state('a')).toEqual({ status: 'completed', output: 5 });
    expect(run.going).toBe(true);
  });

  it('an unhandled failure names the execution error, stops everything and returns the running nodes to cancel', () => {
    const run = runOf([n('a'), n('b'), n('c'), n('later')], [{ from: 'a', to: 'later' }]);
    for (const id of ['a', 'b', 'c']) run.start(id, 'activity');
    expect(run.settle('a', { ok: false, error: boom('a') })).toEqual(['b', 'c']);
    expect(run.failure).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'a', type: 'Boom', attempts: 3 } });
    expect(run.interrupted).toEqual(['b', 'c']);
    // Nodes that never started end cancelled too, so every node has a final status.
    expect(['b', 'c', 'later'].map((id) => run.plan.state(id).status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(run.going).toBe(false);
    // A node cancelled meanwhile that settles late changes nothing.
    expect(run.settle('b', { ok: true, output: 1, attempts: 1, mirrored: true })).toEqual([]);
    expect(run.plan.state('b').status).toBe('cancelled');
  });

  it('a failure handled by an error edge goes on', () => {
    const run = runOf([n('a'), n('fix')], [{ from: 'a', to: 'fix', on: 'error' }]);
    run.start('a', 'activity');
    expect(run.fail('a', boom('a'))).toEqual([]);
    expect(run.failure).toBeUndefined();
    expect(run.plan.ready()).toEqual(['fix']);
  });

  it('a throwing when fails a pending target with ExpressionError (attempts 0), which fails the execution when unhandled', () => {
    const run = runOf([n('a'), n('b'), n('t')], [{ from: 'a', to: 't', when: 'throw' }, { from: 'b', to: 't', when: 'true' }]);
    run.start('a', 'activity');
    run.start('b', 'activity');
    expect(run.complete('a', 1)).toEqual(['b']);
    expect(run.plan.state('t')).toMatchObject({ status: 'failed', error: { nodeId: 't', type: 'ExpressionError', message: 'no such field', attempts: 0 } });
    expect(run.meta.get('t')).toMatchObject({ runtime: 'activity', attempts: 0 });
    expect(run.failure).toMatchObject({ type: 'ExpressionError', node: { nodeId: 't' } });
  });

  it('a throwing when leaves a target that already runs alone', () => {
    const run = runOf([n('a'), n('b'), n('t', { join: 'any' })], [{ from: 'b', to: 't' }, { from: 'a', to: 't', when: 'throw' }]);
    run.start('a', 'activity');
    run.start('b', 'activity');
    run.complete('b', 1);
    run.start('t', 'activity');
    expect(run.complete('a', 1)).toEqual([]);
    expect(run.plan.state('t').status).toBe('running');
    expect(run.failure).toBeUndefined();
  });

  it('the deadline times out and cancel cancels; both stop every node', () => {
    const timed = runOf([n('a'), n('b')], [{ from: 'a', to: 'b' }]);
    timed.start('a', 'activity');
    expect(timed.deadlinePassed('1m', '2026-01-01T00:01:00.000Z')).toEqual(['a']);
    expect(timed.end).toMatchObject({ timedOut: true, cancelled: false, failure: { type: 'DeadlineExceeded' } });
    expect(timed.plan.state('b').status).toBe('cancelled');

    const cancelled = runOf([n('a'), n('b')]);
    cancelled.start('a', 'activity');
    expect(cancelled.cancel()).toEqual(['a']);
    expect(cancelled.end).toEqual({ cancelled: true, timedOut: false, failure: undefined });
    expect(cancelled.plan.state('b').status).toBe('cancelled');
  });

  it('a reused node completes without running, with no attempts, and decides its edges', () => {
    const run = runOf([n('a'), n('b')], [{ from: 'a', to: 'b' }]);
    run.reuse('a', { n: 1 });
    expect(run.plan.state('a')).toEqual({ status: 'completed', output: { n: 1 }, reused: true });
    expect(run.meta.get('a')).toMatchObject({ attempts: 0 });
    expect(run.plan.ready()).toEqual(['b']);
  });
});
