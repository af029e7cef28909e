/**
 * The node runner (src/workflows/node-runner.ts) with fake Temporal effects: what each
 * runtime returns, how activity options are derived from a node, and how an activity that
 * failed for good becomes the node's error.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import type { LocalActivityOptions } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { NodeActivityInput } from '../../src/workflows/contracts/node-activity';
import { NODE_TYPES } from '../../src/workflows/graph/node-types';
import type { GraphNode, Json } from '../../src/workflows/graph/types';
import { activityNodeError, activityOptions, localActivityOptions, runCompensation, runNode, type NodeEffects } from '../../src/workflows/node-runner';
import { MAX_SUBGRAPH_DEPTH, subgraphNodeError, type SubgraphParent } from '../../src/workflows/subgraph-runner';
import type { GraphExecutionArgs } from '../../src/workflows/contracts/execution';

const ids = { executionId: 'e1', organizationId: 'org' };

function fakeEffects(overrides: Partial<NodeEffects> = {}): NodeEffects & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    activity: overrides.activity ?? (async (type, input) => (calls.push(['activity', type, input]), { output: { ran: type }, attempt: 2, mirrored: true })),
    localActivity: overrides.localActivity ?? (async (type, input, options) => (calls.push(['localActivity', type, input, options]), { output: { ran: type, local: true }, attempt: 3, mirrored: true })),
    timer: overrides.timer ?? (async (ms) => void calls.push(['timer', ms])),
    signal: overrides.signal ?? (async (name, timeoutMs) => (calls.push(['signal', name, timeoutMs]), { payload: { approved: true } })),
    loadGraph: overrides.loadGraph ?? (async (organizationId, graphId, version) => (calls.push(['loadGraph', organizationId, graphId, version]), { id: graphId, version, nodes: [{ id: 'a', type: 'noop' }], edges: [] })),
    child: overrides.child ?? (async (args, options) => (calls.push(['child', args, options]), { executionId: args.executionId, status: 'completed', output: { child: args.input }, error: null, steps: {} })),
    nodeCancelled: overrides.nodeCancelled ?? (() => false),
  };
}

const activityFailure = (cause: Error, retryState: RetryState = RetryState.NON_RETRYABLE_FAILURE) => new ActivityFailure('activity failed', 'mock', 'a', retryState, undefined, cause);

describe('runNode', () => {
  it('an activity node schedules the activity named after its type, with the mirror updates it carries', async () => {
    const effects = fakeEffects();
    const node: GraphNode = { id: 'a', type: 'mock' };
    const mirror = [{ nodeId: 'x', nodeType: 'noop', status: 'completed' as const, final: true }];
    const outcome = await runNode(node, NODE_TYPES.mock, { output: 1 }, { in: 1 }, ids, effects, mirror);
    expect(outcome).toEqual({ ok: true, output: { ran: 'mock' }, attempts: 2, mirrored: true });
    const input = effects.calls[0][2] as NodeActivityInput;
    expect(effects.calls[0][1]).toBe('mock');
    expect(input).toEqual({ ...ids, nodeId: 'a', nodeType: 'mock', config: { output: 1 }, input: { in: 1 }, mirror });
    // No updates to carry: no mirror field at all.
    await runNode(node, NODE_TYPES.mock, {}, null, ids, effects, []);
    expect(effects.calls[1][2]).not.toHaveProperty('mirror');
  });

  it('a timer sleeps its duration and outputs its input', async () => {
    const effects = fakeEffects();
    expect(await runNode({ id: 'd', type: 'delay' }, NODE_TYPES.delay, { duration: '2s' }, { keep: true }, ids, effects)).toEqual({ ok: true, output: { keep: true }, attempts: 0, mirrored: false });
    expect(effects.calls).toEqual([['timer', 2000]]);
  });

  it('a wait outputs the signal payload, or fails with WaitTimeout when none came in time', async () => {
    const effects = fakeEffects();
    expect(await runNode({ id: 'w', type: 'wait' }, NODE_TYPES.wait, { signal: 'approve', timeout: '1m' }, null, ids, effects)).toMatchObject({ ok: true, output: { approved: true } });
    expect(effects.calls).toEqual([['signal', 'approve', 60_000]]);
    const late = fakeEffects({ signal: async () => undefined });
    expect(await runNode({ id: 'w', type: 'wait' }, NODE_TYPES.wait, { signal: 'approve', timeout: '1m' }, null, ids, late)).toEqual({
      ok: false,
      error: { nodeId: 'w', type: 'WaitTimeout', message: 'no "approve" signal within 1m', attempts: 0 },
    });
  });

  it('an inline node runs its behaviour', async () => {
    expect(await runNode({ id: 't', type: 'transform' }, NODE_TYPES.transform, { output: { x: 1 } }, null, ids, fakeEffects())).toMatchObject({ ok: true, output: { x: 1 } });
    expect(await runNode({ id: 'n', type: 'noop' }, NODE_TYPES.noop, {}, 'in' as Json, ids, fakeEffects())).toMatchObject({ ok: true, output: 'in' });
  });

  it('an activity failed for good becomes the node error; a cancellation passes through', async () => {
    const failing = fakeEffects({ activity: async () => Promise.reject(activityFailure(ApplicationFailure.create({ type: 'Boom', message: 'no', details: [{ attempt: 3 }] }))) });
    expect(await runNode({ id: 'a', type: 'mock' }, NODE_TYPES.mock, {}, null, ids, failing)).toEqual({ ok: false, error: { nodeId: 'a', type: 'Boom', message: 'no', attempts: 3 } });
    const cancelled = fakeEffects({ activity: async () => Promise.reject(new CancelledFailure('cancelled')) });
    await expect(runNode({ id: 'a', type: 'mock' }, NODE_TYPES.mock, {}, null, ids, cancelled)).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('a compensation runs the compensate type with its own activity id and phase', async () => {
    let seen: { type: string; input: NodeActivityInput; activityId?: string } | undefined;
    const effects = fakeEffects({ activity: async (type, input, options) => ((seen = { type, input, activityId: options.activityId }), { output: null, attempt: 1, mirrored: true }) });
    await runCompensation({ id: 'pay', type: 'mock', compensate: { type: 'mock' } }, { undo: true }, { paid: 1 }, ids, effects);
    expect(seen).toEqual({ type: 'mock', activityId: 'pay:compensate', input: { ...ids, nodeId: 'pay', nodeType: 'mock', config: { undo: true }, input: { paid: 1 }, phase: 'compensate' } });
  });
});

describe('a local node', () => {
  const local: GraphNode = {
    id: 'quick',
    type: 'mock',
    name: 'Quick',
    local: true,
    retry: { maxAttempts: 4, initialInterval: '100ms', nonRetryable: ['BadRequest'] },
    timeout: { startToClose: '5s' },
  };

  it('runs as a local activity with the same retry policy and timeout, no activity id or heartbeat, carrying the mirror updates', async () => {
    const effects = fakeEffects();
    const mirror = [{ nodeId: 'x', nodeType: 'noop', status: 'completed' as const, final: true }];
    const outcome = await runNode(local, NODE_TYPES.mock, { output: 1 }, { in: 1 }, ids, effects, mirror);
    expect(outcome).toEqual({ ok: true, output: { ran: 'mock', local: true }, attempts: 3, mirrored: true });
    expect(effects.calls).toHaveLength(1);
    const [kind, type, input, options] = effects.calls[0] as [string, string, NodeActivityInput, LocalActivityOptions];
    expect([kind, type]).toEqual(['localActivity', 'mock']);
    // The round's mirror updates ride along with a local carrier as with an ordinary one.
    expect(input).toEqual({ ...ids, nodeId: 'quick', nodeType: 'mock', config: { output: 1 }, input: { in: 1 }, mirror });
    expect(options).toEqual({
      summary: 'quick: Quick',
      startToCloseTimeout: 5000,
      retry: { ...activityOptions(local).retry, maximumAttempts: 4, initialInterval: 100, nonRetryableErrorTypes: ['BadRequest', 'ExpressionError', 'InvalidConfig'] },
    });
    expect(localActivityOptions(activityOptions(local))).toEqual(options);
  });

  it('a local activity failed for good becomes the node error with its attempts; a cancellation passes through', async () => {
    // The activity's own failure arrives bare (as the SDK resolves a local activity), or wrapped.
    const bare = fakeEffects({ localActivity: async () => Promise.reject(ApplicationFailure.create({ type: 'Boom', message: 'no', details: [{ attempt: 4 }] })) });
    expect(await runNode(local, NODE_TYPES.mock, {}, null, ids, bare)).toEqual({ ok: false, error: { nodeId: 'quick', type: 'Boom', message: 'no', attempts: 4 } });
    const wrapped = fakeEffects({ localActivity: async () => Promise.reject(activityFailure(ApplicationFailure.create({ type: 'Boom', message: 'no', details: [{ attempt: 2 }] }))) });
    expect(await runNode(local, NODE_TYPES.mock, {}, null, ids, wrapped)).toEqual({ ok: false, error: { nodeId: 'quick', type: 'Boom', message: 'no', attempts: 2 } });
    // A local timeout comes with retry state CANCEL_REQUESTED once its retries ran out: all attempts were made.
    const timedOut = fakeEffects({ localActivity: async () => Promise.reject(activityFailure(new TimeoutFailure('t', undefined, TimeoutType.START_TO_CLOSE), RetryState.CANCEL_REQUESTED)) });
    expect(await runNode(local, NODE_TYPES.mock, {}, null, ids, timedOut)).toMatchObject({ ok: false, error: { type: 'Timeout', attempts: 4 } });
    const cancelled = fakeEffects({ localActivity: async () => Promise.reject(new CancelledFailure('cancelled')) });
    await expect(runNode(local, NODE_TYPES.mock, {}, null, ids, cancelled)).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('compensates with a local activity too, never an ordinary one', async () => {
    const effects = fakeEffects({ activity: async () => Promise.reject(new Error('an ordinary activity was scheduled')) });
    const outcome = await runCompensation({ ...local, compensate: { type: 'mock' } }, { undo: true }, { paid: 1 }, ids, effects);
    expect(outcome).toMatchObject({ ok: true, attempts: 3 });
    const [kind, , input, options] = effects.calls[0] as [string, string, NodeActivityInput, LocalActivityOptions];
    expect(kind).toBe('localActivity');
    expect(input.phase).toBe('compensate');
    expect(options).toMatchObject({ summary: 'compensate quick', startToCloseTimeout: 5000 });
  });

  it('an ordinary node never schedules a local activity, and a bare failure of its activity is no node error', async () => {
    const effects = fakeEffects({ localActivity: async () => Promise.reject(new Error('a local activity was scheduled')) });
    const ordinary = { ...local, local: false };
    expect(await runNode(ordinary, NODE_TYPES.mock, {}, null, ids, effects)).toMatchObject({ ok: true, output: { ran: 'mock' } });
    const bare = fakeEffects({ activity: async () => Promise.reject(ApplicationFailure.create({ message: 'not from Temporal' })) });
    await expect(runNode(ordinary, NODE_TYPES.mock, {}, null, ids, bare)).rejects.toBeInstanceOf(ApplicationFailure);
  });
});

describe('activityOptions', () => {
  it("uses the defaults of DESIGN §4, the type's heartbeat timeout and the node id as activity id", () => {
    expect(activityOptions({ id: 'a', type: 'mock' })).toEqual({
      activityId: 'a',
      summary: 'a',
      startToCloseTimeout: 300_000,
      // The mock heartbeats every second while it waits: a lost attempt is retried after 2 s.
      heartbeatTimeout: 2000,
      retry: { maximumAttempts: 3, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 60_000, nonRetryableErrorTypes: ['ExpressionError', 'InvalidConfig'] },
    });
  });

  it("follows the node's retry and timeout, and its name in the summary", () => {
    const options = activityOptions({
      id: 'a',
      type: 'mock',
      name: 'Charge',
      retry: { maxAttempts: 5, initialInterval: '2s', backoffCoefficient: 3, maxInterval: '1m', nonRetryable: ['BadRequest'] },
      timeout: { startToClose: '30s', heartbeat: '10s' },
    });
    expect(options).toMatchObject({ summary: 'a: Charge', startToCloseTimeout: 30_000, heartbeatTimeout: 10_000 });
    expect(options.retry).toEqual({ maximumAttempts: 5, initialInterval: 2000, backoffCoefficient: 3, maximumInterval: 60_000, nonRetryableErrorTypes: ['BadRequest', 'ExpressionError', 'InvalidConfig'] });
  });
});

describe('activityNodeError', () => {
  const node: GraphNode = { id: 'a', type: 'mock', retry: { maxAttempts: 4 } };
  it('takes the attempt from the failure details, or max attempts when retries ran out', () => {
    expect(activityNodeError(node, activityFailure(ApplicationFailure.create({ type: 'Boom', message: 'm', details: [{ attempt: 2 }] })))).toMatchObject({ type: 'Boom', attempts: 2 });
    expect(activityNodeError(node, activityFailure(ApplicationFailure.create({ message: 'm' }), RetryState.MAXIMUM_ATTEMPTS_REACHED))).toMatchObject({ type: 'Error', attempts: 4 });
    expect(activityNodeError(node, activityFailure(ApplicationFailure.create({ message: 'm' })))).toMatchObject({ attempts: 1 });
  });

  it('names a timeout Timeout, with its kind', () => {
    expect(activityNodeError(node, activityFailure(new TimeoutFailure('t', undefined, TimeoutType.START_TO_CLOSE), RetryState.MAXIMUM_ATTEMPTS_REACHED))).toEqual({
      nodeId: 'a',
      type: 'Timeout',
      message: `activity timed out (${String(TimeoutType.START_TO_CLOSE)})`,
      attempts: 4,
    });
  });
});

describe('subgraph nodes', () => {
  const parent = (depth = 0, pinned: Record<string, number> = { 'add-tax': 4 }): SubgraphParent => ({
    ...ids,
    depth,
    deadlineAt: '2030-01-01T00:00:00.000Z',
    pinnedVersion: (graphId) => pinned[graphId],
  });
  const node: GraphNode = { id: 'tax', type: 'subgraph' };
  const run = (config: Json, effects: NodeEffects, at = parent()) => runNode(node, NODE_TYPES.subgraph, config, { total: 10 }, ids, effects, undefined, at);

  it('starts the pinned version as child execution <parent>/<node> and outputs its output', async () => {
    const effects = fakeEffects();
    expect(await run({ graphId: 'add-tax' }, effects)).toEqual({ ok: true, output: { child: { total: 10 } }, attempts: 0, mirrored: false });
    expect(effects.calls[0]).toEqual(['loadGraph', 'org', 'add-tax', 4]);
    const [, args, options] = effects.calls[1] as [string, GraphExecutionArgs, { workflowId: string; parentClosePolicy: unknown }];
    expect(args).toMatchObject({ executionId: 'e1/tax', organizationId: 'org', parentExecutionId: 'e1', subgraphDepth: 1, deadlineAt: '2030-01-01T00:00:00.000Z', input: { total: 10 } });
    expect(options.workflowId).toBe('e1/tax');
  });

  it('a version in config wins over the pinned one; config.input replaces the node input', async () => {
    const effects = fakeEffects();
    await run({ graphId: 'add-tax', version: 2, input: { amount: 3 } }, effects);
    expect(effects.calls[0]).toEqual(['loadGraph', 'org', 'add-tax', 2]);
    expect((effects.calls[1][1] as GraphExecutionArgs).input).toEqual({ amount: 3 });
  });

  it('fails with SubgraphNotFound when nothing was stored, and with SubgraphDepthExceeded past the limit, starting nothing', async () => {
    const effects = fakeEffects({ loadGraph: async () => null });
    expect(await run({ graphId: 'add-tax' }, effects)).toMatchObject({ ok: false, error: { type: 'SubgraphNotFound', message: expect.stringContaining('graph "add-tax" has no version 4') } });
    expect(await run({ graphId: 'other' }, effects)).toMatchObject({ ok: false, error: { type: 'SubgraphNotFound', message: expect.stringContaining('had no stored version when the execution started') } });
    const deep = fakeEffects();
    expect(await run({ graphId: 'add-tax' }, deep, parent(MAX_SUBGRAPH_DEPTH))).toMatchObject({ ok: false, error: { type: 'SubgraphDepthExceeded' } });
    expect(deep.calls).toEqual([]);
    expect(await run({ graphId: 'add-tax' }, deep, parent(MAX_SUBGRAPH_DEPTH - 1))).toMatchObject({ ok: true });
  });

  it("a failed child fails the node with SubgraphFailed and the child's error inside; the node's own cancellation passes through", async () => {
    const result = { executionId: 'e1/tax', status: 'failed', output: null, steps: {}, error: { type: 'NodeFailed', message: 'node "rate" failed', node: { nodeId: 'rate', type: 'Boom', message: 'no', attempts: 3 } } };
    const failure = new ChildWorkflowFailure('default', { workflowId: 'e1/tax', runId: 'r' }, 'graphExecution', RetryState.NON_RETRYABLE_FAILURE, ApplicationFailure.create({ type: 'NodeFailed', message: 'node "rate" failed', nonRetryable: true, details: [result] }));
    const failing = fakeEffects({ child: async () => Promise.reject(failure) });
    expect(await run({ graphId: 'add-tax' }, failing)).toEqual({
      ok: false,
      error: {
        nodeId: 'tax',
        type: 'SubgraphFailed',
        message: 'subgraph "add-tax" v4 (execution e1/tax) ended NodeFailed: node "rate" failed',
        attempts: 0,
        child: { executionId: 'e1/tax', error: result.error },
      },
    });
    const cancelledChild = new ChildWorkflowFailure('default', { workflowId: 'e1/tax', runId: 'r' }, 'graphExecution', RetryState.NON_RETRYABLE_FAILURE, new CancelledFailure('cancelled'));
    expect(subgraphNodeError(node, { id: 'add-tax', version: 4 }, 'e1/tax', cancelledChild).child?.error.type).toBe('Cancelled');
    expect(await run({ graphId: 'add-tax' }, fakeEffects({ child: async () => Promise.reject(cancelledChild) }))).toMatchObject({ ok: false, error: { type: 'SubgraphFailed' } });
    await expect(run({ graphId: 'add-tax' }, fakeEffects({ child: async () => Promise.reject(cancelledChild), nodeCancelled: () => true }))).rejects.toBe(cancelledChild);
  });
});
