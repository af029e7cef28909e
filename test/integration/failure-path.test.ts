/**
 * DESIGN §4 failure path on the real stack: compensation, dead letters (workflow + row),
 * deadline, cancel without dead letter, the wait node, and retry/resume from a dead letter.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExecutionView } from '../../src/client';
import { deadLetterId } from '../../src/workflows/contracts/names';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run, statuses, stepOutput } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

async function deadLetterRow(executionId: string): Promise<Record<string, unknown> | undefined> {
  return (await engine.pool.query('SELECT * FROM dead_letters WHERE execution_id = $1', [executionId])).rows[0];
}

async function temporalStatus(workflowId: string): Promise<string> {
  return (await engine.temporal.workflow.getHandle(workflowId).describe()).status.name;
}

/** The dead-letter workflow ends once resolved; returns how. */
async function deadLetterOutcome(workflowId: string): Promise<unknown> {
  return engine.temporal.workflow.getHandle(workflowId).result();
}

async function waitForStep(executionId: string, nodeId: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const view = await engine.client.status('default', executionId).catch(() => undefined);
    if (view?.steps[nodeId]?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`step ${nodeId} never became ${status}`);
}

describe('failure for good', () => {
  test('completed nodes with compensate are compensated newest first; the execution ends failed with a dead letter', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'reserve', type: 'mock', config: { output: { reserved: true } }, compensate: { type: 'mock', config: { output: { released: { $expr: 'input.reserved' } } } } },
        { id: 'charge', type: 'mock', config: { output: { charged: 10 } }, compensate: { type: 'mock', config: { failAttempts: 1 } }, retry: { initialInterval: '100ms' } },
        { id: 'log', type: 'mock' },
        // ship waits for log, so log has surely completed when ship fails
        { id: 'ship', type: 'mock', config: { fail: { type: 'Warehouse', message: 'closed', nonRetryable: true } } },
      ],
      edges: [
        { from: 'log', to: 'ship' },
        { from: 'reserve', to: 'charge' },
        { from: 'charge', to: 'ship' },
        { from: 'reserve', to: 'log' },
      ],
    });
    expect(view.status).toBe('failed');
    expect(statuses(view)).toEqual({ reserve: 'compensated', charge: 'compensated', log: 'completed', ship: 'failed' });
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'ship', type: 'Warehouse' } });
    const attempts = await engine.pool.query<{ node_id: string; attempt: number; status: string; started_at: string; finished_at: string }>(
      "SELECT node_id, attempt, status, started_at, finished_at FROM execution_step_attempts WHERE execution_id = $1 AND kind = 'compensate' ORDER BY node_id, attempt",
      [view.executionId],
    );
    const byNode = (id: string) => attempts.rows.filter((row) => row.node_id === id);
    // charge's compensation failed once and was retried: its own retries.
    expect(byNode('charge').map((row) => row.status)).toEqual(['failed', 'completed']);
    expect(byNode('reserve').map((row) => row.status)).toEqual(['completed']);
    // newest first: charge (completed last) is compensated before reserve.
    expect(Date.parse(byNode('charge').at(-1)!.finished_at)).toBeLessThanOrEqual(Date.parse(byNode('reserve')[0].started_at));
    const letter = await deadLetterRow(view.executionId);
    expect(letter).toMatchObject({ id: deadLetterId(view.executionId), status: 'open', failed_nodes: ['ship'], error: { type: 'NodeFailed' } });
    expect(await temporalStatus(deadLetterId(view.executionId))).toBe('RUNNING');
  });

  test('onFailure "fail" creates no dead letter', async () => {
    const view = await run(engine, { settings: { onFailure: 'fail' }, nodes: [{ id: 'boom', type: 'mock', config: { fail: { nonRetryable: true } } }] });
    expect(view.status).toBe('failed');
    expect(await deadLetterRow(view.executionId)).toBeUndefined();
  });

  test('a deadline ends the execution timed_out with DeadlineExceeded, cancels running nodes, compensates completed ones and creates a dead letter', async () => {
    const view = await run(engine, {
      settings: { deadline: '1s' },
      nodes: [
        { id: 'quick', type: 'mock', config: { output: 1 }, compensate: { type: 'mock' } },
        { id: 'slow', type: 'mock', config: { delayMs: 20_000 }, timeout: { heartbeat: '2s' }, compensate: { type: 'mock' } },
        { id: 'after', type: 'mock' },
      ],
      edges: [
        { from: 'quick', to: 'slow' },
        { from: 'slow', to: 'after' },
      ],
    });
    expect(view.status).toBe('timed_out');
    expect(view.error).toMatchObject({ type: 'DeadlineExceeded' });
    expect(statuses(view)).toEqual({ quick: 'compensated', slow: 'cancelled', after: 'cancelled' });
    // Only the completed node was compensated: slow declares a compensation too but never completed.
    const compensations = await engine.pool.query("SELECT node_id, status FROM execution_step_attempts WHERE execution_id = $1 AND kind = 'compensate'", [view.executionId]);
    expect(compensations.rows).toEqual([{ node_id: 'quick', status: 'completed' }]);
    expect(await deadLetterRow(view.executionId)).toMatchObject({ failed_nodes: ['slow'], error: { type: 'DeadlineExceeded' } });
    const row = await engine.pool.query('SELECT deadline_at, status FROM executions WHERE id = $1', [view.executionId]);
    expect(row.rows[0].deadline_at).not.toBeNull();
  });

  test('cancel ends cancelled, compensates nothing (not even a completed node with compensate) and creates no dead letter', async () => {
    // DESIGN §4 and the README: compensation runs when an execution fails for good or its
    // deadline passes; a cancel only cancels what runs. `reserve` completed before the
    // cancel and declares a compensation, so a cancel that compensated would show here.
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('cancel-dlq'),
        version: 1,
        nodes: [
          { id: 'reserve', type: 'mock', config: { output: { reserved: true } }, compensate: { type: 'mock' } },
          { id: 'slow', type: 'mock', config: { delayMs: 20_000 }, timeout: { heartbeat: '2s' }, compensate: { type: 'mock' } },
        ],
        edges: [{ from: 'reserve', to: 'slow' }],
      },
    });
    await waitForStep(started.executionId, 'slow', 'running');
    expect((await engine.client.status('default', started.executionId)).steps.reserve.status).toBe('completed');
    await engine.client.cancel('default', started.executionId);
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('cancelled');
    expect(statuses(view)).toEqual({ reserve: 'completed', slow: 'cancelled' });
    const attempts = await engine.pool.query<{ node_id: string; kind: string; status: string }>(
      'SELECT node_id, kind, status FROM execution_step_attempts WHERE execution_id = $1 ORDER BY node_id, kind, attempt',
      [view.executionId],
    );
    // No compensation attempt for either node: reserve ran once, slow's attempt was cancelled.
    expect(attempts.rows).toEqual([
      { node_id: 'reserve', kind: 'run', status: 'completed' },
      { node_id: 'slow', kind: 'run', status: 'cancelled' },
    ]);
    expect(await deadLetterRow(view.executionId)).toBeUndefined();
  });
});

describe('wait node', () => {
  test('waits (shown waiting) for its signal and outputs the payload', async () => {
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('approval'),
        version: 1,
        nodes: [
          { id: 'approval', type: 'wait', config: { signal: 'approve', timeout: '1m' } },
          { id: 'done', type: 'transform', config: { output: { by: { $expr: 'input.by' } } } },
        ],
        edges: [{ from: 'approval', to: 'done' }],
      },
    });
    await waitForStep(started.executionId, 'approval', 'waiting');
    await engine.client.signal('default', started.executionId, 'approve', { by: 'alice' });
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ by: 'alice' });
    expect(await stepOutput(engine, view.executionId, 'approval')).toEqual({ by: 'alice' });
  });

  test('a signal sent before the node starts is kept for it', async () => {
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('early'),
        version: 1,
        nodes: [
          { id: 'first', type: 'mock', config: { delayMs: 800 } },
          { id: 'approval', type: 'wait', config: { signal: 'go' } },
        ],
        edges: [{ from: 'first', to: 'approval' }],
      },
    });
    await waitForStep(started.executionId, 'first', 'running');
    await engine.client.signal('default', started.executionId, 'go', 42);
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.output).toBe(42);
  });

  test('fails with WaitTimeout when the signal does not come in time', async () => {
    const view = await run(engine, { nodes: [{ id: 'approval', type: 'wait', config: { signal: 'approve', timeout: '300ms' } }] });
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ type: 'WaitTimeout', node: { nodeId: 'approval', type: 'WaitTimeout' } });
  });
});

describe('acting on dead letters', () => {
  const divide = () => ({
    id: graphId('divide'),
    version: 1,
    nodes: [
      { id: 'load', type: 'mock', config: { output: { loaded: { $expr: 'execution.input.total' } } } },
      { id: 'split', type: 'transform', config: { output: { share: { $expr: 'execution.input.total / execution.input.parts' } } } },
      { id: 'save', type: 'mock' },
    ],
    edges: [
      { from: 'load', to: 'split' },
      { from: 'split', to: 'save' },
    ],
  });

  async function failedExecution(graph = divide()): Promise<ExecutionView> {
    const view = await run(engine, graph, { total: 10, parts: 0 });
    expect(view.status).toBe('failed');
    expect(view.steps.split.error).toMatchObject({ type: 'ExpressionError' });
    return view;
  }

  test('list filters by graph and age; show reads one; another organization sees nothing', async () => {
    const graph = divide();
    const failed = await failedExecution(graph);
    const id = deadLetterId(failed.executionId);
    const byGraph = await engine.client.listDeadLetters('default', { graphId: graph.id });
    expect(byGraph.map((letter) => letter.id)).toEqual([id]);
    expect(byGraph[0]).toMatchObject({ executionId: failed.executionId, graphVersion: 1, failedNodes: ['split'], error: { type: 'ExpressionError' } });
    expect((await engine.client.listDeadLetters('default', { maxAgeMs: 3_600_000 })).map((l) => l.id)).toContain(id);
    await engine.pool.query("UPDATE dead_letters SET created_at = now() - interval '2 days' WHERE id = $1", [id]);
    expect((await engine.client.listDeadLetters('default', { maxAgeMs: 86_400_000 })).map((l) => l.id)).not.toContain(id);
    expect((await engine.client.deadLetter('default', id)).status).toBe('open');
    await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('other', 'other') ON CONFLICT DO NOTHING");
    await expect(engine.client.deadLetter('other', id)).rejects.toThrow(/not found/);
    expect(await engine.client.listDeadLetters('other')).toEqual([]);
  });

  test('resume with corrected input reuses completed nodes and starts at the failed one', async () => {
    const failed = await failedExecution();
    const id = deadLetterId(failed.executionId);
    const started = await engine.client.retryDeadLetter('default', id, { resume: true, input: { total: 10, parts: 2 }, actor: 'tester' });
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('completed');
    expect(view.retryOf).toBe(failed.executionId);
    expect(view.steps.load).toMatchObject({ status: 'completed', reused: true, attempts: 0 });
    expect(view.steps.split.status).toBe('completed');
    expect(view.output).toEqual({ share: 5 });
    // `load` did not run again: no attempt of it in the new execution, and it kept the original's output.
    expect((await engine.pool.query('SELECT 1 FROM execution_step_attempts WHERE execution_id = $1 AND node_id = $2', [view.executionId, 'load'])).rowCount).toBe(0);
    expect(await stepOutput(engine, view.executionId, 'load')).toEqual({ loaded: 10 });
    expect(await engine.client.deadLetter('default', id)).toMatchObject({ status: 'retried', retryExecutionId: started.executionId, resolvedBy: 'tester' });
    expect(await deadLetterOutcome(id)).toEqual({ action: 'resumed', by: 'tester', retryExecutionId: started.executionId });
    const audit = await engine.pool.query('SELECT action, actor FROM dead_letter_audit WHERE dead_letter_id = $1', [id]);
    expect(audit.rows).toEqual([{ action: 'resumed', actor: 'tester' }]);
    await expect(engine.client.retryDeadLetter('default', id, { actor: 'tester' })).rejects.toThrow(/already retried/);
    expect((await engine.client.listDeadLetters('default')).map((l) => l.id)).not.toContain(id);
  });

  test('retry from the start runs every node again with the new input', async () => {
    const failed = await failedExecution();
    const started = await engine.client.retryDeadLetter('default', deadLetterId(failed.executionId), { input: { total: 9, parts: 3 }, actor: 'tester' });
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('completed');
    expect(view.steps.load).toMatchObject({ status: 'completed', attempts: 1 });
    expect(view.steps.load.reused).toBeUndefined();
    expect(await stepOutput(engine, view.executionId, 'load')).toEqual({ loaded: 9 });
  });

  test('purge leaves an audit row and ends the dead-letter workflow', async () => {
    const failed = await failedExecution();
    const id = deadLetterId(failed.executionId);
    await engine.client.purgeDeadLetter('default', id, 'operator-1');
    expect((await engine.client.listDeadLetters('default')).map((l) => l.id)).not.toContain(id);
    expect((await engine.client.listDeadLetters('default', { includeResolved: true })).find((l) => l.id === id)).toMatchObject({ status: 'purged', resolvedBy: 'operator-1' });
    const audit = await engine.pool.query('SELECT action, actor, at FROM dead_letter_audit WHERE dead_letter_id = $1', [id]);
    expect(audit.rows).toEqual([{ action: 'purged', actor: 'operator-1', at: expect.any(String) }]);
    expect(await deadLetterOutcome(id)).toEqual({ action: 'purged', by: 'operator-1' });
  });
});
