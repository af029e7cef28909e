/** The end-of-execution rules of DESIGN §4 (src/workflows/graph/outcome.ts), case by case. */
import { describe, expect, it } from 'vitest';
import {
  compensationOrder,
  deadlineFailure,
  executionFailureType,
  executionOutput,
  failedNodeIds,
  faultFailsTarget,
  finalError,
  finalStatus,
  needsDeadLetter,
  nodeFailure,
} from '../../src/workflows/graph/outcome';
import { EXECUTION_FAILURE_TYPES } from '../../src/workflows/graph/failures';
import { GraphPlan } from '../../src/workflows/graph/planner';
import type { GraphEdge, GraphNode } from '../../src/workflows/graph/types';

const never = (): boolean => {
  throw new Error('no when here');
};
const plan = (nodes: GraphNode[], edges: GraphEdge[] = []) => new GraphPlan({ nodes, edges });
const error = (nodeId: string, type = 'Boom') => ({ nodeId, type, message: `${nodeId} broke`, attempts: 2 });

describe('the execution failure type', () => {
  it('is the node error type when that is itself an execution failure type, else NodeFailed', () => {
    for (const type of EXECUTION_FAILURE_TYPES) expect(executionFailureType(type)).toBe(type);
    for (const type of ['Boom', 'HttpError', 'Timeout', 'MockFailure', 'nodefailed']) expect(executionFailureType(type)).toBe('NodeFailed');
  });

  it('keeps the node error beside it and names the node in the message', () => {
    expect(nodeFailure('pay', error('pay', 'CardDeclined'))).toEqual({
      type: 'NodeFailed',
      message: 'node "pay" failed: pay broke',
      node: { nodeId: 'pay', type: 'CardDeclined', message: 'pay broke', attempts: 2 },
    });
    expect(nodeFailure('w', error('w', 'WaitTimeout')).type).toBe('WaitTimeout');
  });

  it('of a deadline says which deadline passed and when', () => {
    expect(deadlineFailure('10m', '2026-01-01T00:10:00.000Z')).toEqual({ type: 'DeadlineExceeded', message: "the execution's deadline (10m) passed at 2026-01-01T00:10:00.000Z" });
  });
});

describe('a throwing when', () => {
  it('fails its target only while the target is pending', () => {
    const p = plan([{ id: 'a', type: 'noop' }, { id: 'b', type: 'noop' }, { id: 'c', type: 'noop' }], [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }]);
    expect(faultFailsTarget(p, 'c')).toBe(true);
    p.start('c');
    expect(faultFailsTarget(p, 'c')).toBe(false);
    p.complete('c', 1, never);
    expect(faultFailsTarget(p, 'c')).toBe(false);
  });
});

describe('the final status and error', () => {
  const failure = nodeFailure('a', error('a'));
  it('cancel wins over everything, then the deadline, then a failure', () => {
    expect(finalStatus({ cancelled: true, timedOut: true, failure })).toBe('cancelled');
    expect(finalStatus({ cancelled: false, timedOut: true, failure: deadlineFailure('1s', 'x') })).toBe('timed_out');
    expect(finalStatus({ cancelled: false, timedOut: false, failure })).toBe('failed');
    expect(finalStatus({ cancelled: false, timedOut: false })).toBe('completed');
  });

  it('a cancelled execution has the Cancelled error, a failed one its failure, a completed one none', () => {
    expect(finalError({ cancelled: true, timedOut: false, failure })).toEqual({ type: 'Cancelled', message: 'execution was cancelled' });
    expect(finalError({ cancelled: false, timedOut: false, failure })).toBe(failure);
    expect(finalError({ cancelled: false, timedOut: false })).toBeNull();
  });
});

describe('the dead-letter decision', () => {
  const failure = nodeFailure('a', error('a'));
  it('is made for a failure or a deadline, unless cancelled or onFailure is "fail"', () => {
    expect(needsDeadLetter({ cancelled: false, timedOut: false, failure }, undefined)).toBe(true);
    expect(needsDeadLetter({ cancelled: false, timedOut: false, failure }, 'dlq')).toBe(true);
    expect(needsDeadLetter({ cancelled: false, timedOut: true, failure: deadlineFailure('1s', 'x') }, 'dlq')).toBe(true);
    expect(needsDeadLetter({ cancelled: false, timedOut: false, failure }, 'fail')).toBe(false);
    // Cancelled while failing (during compensation): an operator asked for it, no dead letter.
    expect(needsDeadLetter({ cancelled: true, timedOut: false, failure }, 'dlq')).toBe(false);
    expect(needsDeadLetter({ cancelled: false, timedOut: false }, 'dlq')).toBe(false);
  });
});

describe('the failed-node list of a dead letter', () => {
  it('holds unhandled failures in document order, then interrupted nodes; handled failures are left out', () => {
    const p = plan(
      [{ id: 'a', type: 'noop' }, { id: 'b', type: 'noop' }, { id: 'h', type: 'noop' }, { id: 'fix', type: 'noop' }],
      [{ from: 'h', to: 'fix', on: 'error' }],
    );
    for (const id of ['a', 'b', 'h']) p.start(id);
    p.fail('b', error('b'), never);
    p.fail('a', error('a'), never);
    expect(p.fail('h', error('h'), never).handled).toBe(true);
    expect(failedNodeIds(p, ['x', 'y'])).toEqual(['a', 'b', 'x', 'y']);
  });
});

describe('compensation order', () => {
  it('is newest completion first, only nodes with compensate, never reused or uncompleted ones', () => {
    const undo = { type: 'mock' };
    const p = plan([
      { id: 'a', type: 'noop', compensate: undo },
      { id: 'b', type: 'noop' },
      { id: 'c', type: 'noop', compensate: undo },
      { id: 'r', type: 'noop', compensate: undo },
      { id: 'f', type: 'noop', compensate: undo },
    ]);
    p.complete('r', 1, never, true); // reused from the original execution
    for (const id of ['c', 'b', 'a', 'f']) p.start(id);
    p.complete('c', 1, never);
    p.complete('b', 1, never);
    p.complete('a', 1, never);
    p.fail('f', error('f'), never);
    expect(compensationOrder(p)).toEqual(['a', 'c']);
  });
});

describe('the output', () => {
  it('is settings.output rendered when given, else the default output', () => {
    const p = plan([{ id: 'a', type: 'noop' }]);
    p.start('a');
    p.complete('a', { n: 1 }, never);
    expect(executionOutput({ settings: { output: { $expr: 'x' } } }, p, (template) => ({ rendered: template as never }))).toEqual({ rendered: { $expr: 'x' } });
    expect(executionOutput({}, p, () => 'unused')).toEqual({ n: 1 });
  });
});
