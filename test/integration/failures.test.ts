/**
 * Failure paths of DESIGN §4 that belong to the foundation: retries as Temporal activity
 * retries with every attempt recorded, unhandled failure, expression errors, invalid graphs
 * and input never reaching Temporal, and cancel through the client.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidRequestError } from '../../src/client';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, run, statuses, stepOutput } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

async function attemptRows(executionId: string, nodeId: string): Promise<{ attempt: number; status: string; error: { type: string } | null }[]> {
  const found = await engine.pool.query('SELECT attempt, status, error FROM execution_step_attempts WHERE execution_id = $1 AND node_id = $2 ORDER BY attempt', [executionId, nodeId]);
  return found.rows as { attempt: number; status: string; error: { type: string } | null }[];
}

describe('retries', () => {
  test('failed attempts are retried by Temporal and every attempt is recorded', async () => {
    const view = await run(engine, { nodes: [{ id: 'flaky', type: 'mock', config: { failAttempts: 2, output: 'ok' }, retry: { initialInterval: '100ms' } }] });
    expect(view.status).toBe('completed');
    expect(view.steps.flaky).toMatchObject({ status: 'completed', attempts: 3 });
    const rows = await attemptRows(view.executionId, 'flaky');
    expect(rows.map((row) => [row.attempt, row.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(rows[0].error?.type).toBe('MockFailure');
  });

  test('when attempts run out the node fails with its last error and attempt count', async () => {
    const view = await run(engine, { nodes: [{ id: 'flaky', type: 'mock', config: { failAttempts: 9 }, retry: { maxAttempts: 2, initialInterval: '100ms' } }] });
    expect(view.status).toBe('failed');
    expect(view.steps.flaky).toMatchObject({ status: 'failed', attempts: 2, error: { type: 'MockFailure', attempts: 2 } });
    expect((await attemptRows(view.executionId, 'flaky')).map((row) => row.status)).toEqual(['failed', 'failed']);
  });

  test('a type listed in retry.nonRetryable is not retried', async () => {
    const view = await run(engine, {
      nodes: [{ id: 'call', type: 'mock', config: { fail: { type: 'BadRequest', message: 'no' } }, retry: { maxAttempts: 5, initialInterval: '100ms', nonRetryable: ['BadRequest'] } }],
    });
    expect(view.steps.call).toMatchObject({ status: 'failed', attempts: 1 });
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'call', type: 'BadRequest', attempts: 1 } });
  });
});

describe('unhandled failure', () => {
  test('starts nothing new, cancels what runs, and ends failed', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'start', type: 'noop' },
        { id: 'boom', type: 'mock', config: { delayMs: 200, fail: { type: 'Broken', nonRetryable: true } } },
        { id: 'long', type: 'mock', config: { delayMs: 30_000 }, timeout: { heartbeat: '2s' } },
        { id: 'after', type: 'mock' },
      ],
      edges: [
        { from: 'start', to: 'boom' },
        { from: 'start', to: 'long' },
        { from: 'boom', to: 'after', on: 'always' },
      ],
    });
    expect(view.status).toBe('failed');
    expect(statuses(view)).toEqual({ start: 'completed', boom: 'failed', long: 'cancelled', after: 'cancelled' });
    expect(view.output).toBeNull();
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'boom', type: 'Broken' } });
    // `after` never ran: no attempt of it exists.
    expect(await attemptRows(view.executionId, 'after')).toEqual([]);
    // `long` was cancelled, not waited for.
    expect(Date.parse(view.finishedAt!)).toBeLessThan(Date.parse(view.steps.long.startedAt!) + 30_000);
    const history = await engine.temporal.workflow.getHandle(view.executionId).fetchHistory();
    const cancelRequested = history.events!.filter((event) => event.activityTaskCancelRequestedEventAttributes);
    expect(cancelRequested).toHaveLength(1);
  });
});

describe('expressions at run time', () => {
  test('a failing expression fails its node with ExpressionError, without retries', async () => {
    const view = await run(engine, { nodes: [{ id: 'calc', type: 'mock', config: { output: { $expr: 'input.missing + 1' } } }] }, { present: 1 });
    expect(view.status).toBe('failed');
    expect(view.steps.calc).toMatchObject({ status: 'failed', error: { type: 'ExpressionError' } });
    expect(view.steps.calc.error!.message).toContain('input.missing + 1');
    expect(view.steps.calc.error!.message).toContain('$.nodes[0].config');
    expect(await attemptRows(view.executionId, 'calc')).toEqual([]);
  });

  test('an error edge can handle an ExpressionError', async () => {
    const view = await run(engine, {
      nodes: [
        { id: 'calc', type: 'transform', config: { output: { $expr: 'input.missing' } } },
        { id: 'fallback', type: 'mock' },
      ],
      edges: [{ from: 'calc', to: 'fallback', on: 'error' }],
    });
    expect(view.status).toBe('completed');
    expect(await stepOutput(engine, view.executionId, 'fallback')).toMatchObject({ error: { nodeId: 'calc', type: 'ExpressionError' } });
  });

  test('has() guards a missing field', async () => {
    const view = await run(engine, { nodes: [{ id: 'calc', type: 'transform', config: { output: { $expr: "has(input.name) ? input.name : 'anonymous'" } } }] }, {});
    expect(view.output).toBe('anonymous');
  });
});

describe('bad requests never reach Temporal', () => {
  test('an invalid graph is refused with every problem, and nothing is stored or started', async () => {
    const id = graphId('invalid');
    const error = await engine.client
      .start({ organizationId: 'default', graph: { id, version: 1, nodes: [{ id: 'a', type: 'nope' }, { id: 'a', type: 'mock' }], edges: [{ from: 'a', to: 'ghost' }] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const paths = (error as InvalidRequestError).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.nodes[0].type', '$.nodes[1].id', '$.edges[0].to']));
    expect((await engine.pool.query('SELECT 1 FROM graphs WHERE id = $1', [id])).rowCount).toBe(0);
    expect((await engine.pool.query('SELECT 1 FROM executions WHERE graph_id = $1', [id])).rowCount).toBe(0);
    let started = 0;
    for await (const _ of engine.temporal.workflow.list({ query: `GraphId = "${id}"` })) started++;
    expect(started).toBe(0);
  });

  test('input over 256 KiB is refused', async () => {
    const error = await engine.client
      .start({ organizationId: 'default', graph: { id: graphId('big-input'), version: 1, nodes: [{ id: 'a', type: 'noop' }] }, input: { blob: 'x'.repeat(300 * 1024) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).problems[0].path).toBe('$.input');
  });

  test('a changed document under a stored version is refused; the same one is reused', async () => {
    const id = graphId('versioned');
    const graph = { id, version: 1, nodes: [{ id: 'a', type: 'noop' }] };
    expect((await engine.client.storeGraph('default', graph)).stored).toBe('created');
    expect((await engine.client.storeGraph('default', { ...graph })).stored).toBe('existing');
    await expect(engine.client.storeGraph('default', { ...graph, nodes: [{ id: 'b', type: 'noop' }] })).rejects.toThrow(/already stored with different content/);
  });
});

describe('cancel', () => {
  test('cancelling through the client cancels running nodes and ends cancelled', async () => {
    const started = await engine.client.start({
      organizationId: 'default',
      graph: {
        id: graphId('cancel'),
        version: 1,
        nodes: [
          { id: 'slow', type: 'mock', config: { delayMs: 30_000 }, timeout: { heartbeat: '2s' } },
          { id: 'next', type: 'mock' },
        ],
        edges: [{ from: 'slow', to: 'next' }],
      },
    });
    // The slow node must really be running when the cancel arrives (else it would end
    // `cancelled` without ever having started, and the test would prove nothing).
    await waitFor('the slow node to be running', 30_000, async () => {
      const view = await engine.client.status('default', started.executionId).catch(() => undefined);
      return view?.steps.slow?.status === 'running' ? true : undefined;
    }, 100);
    await engine.client.cancel('default', started.executionId);
    const view = await engine.client.waitForEnd('default', started.executionId);
    expect(view.status).toBe('cancelled');
    expect(view.error).toMatchObject({ type: 'Cancelled' });
    expect(statuses(view)).toEqual({ slow: 'cancelled', next: 'cancelled' });
    // slow's running attempt was cancelled; next never started.
    expect((await attemptRows(view.executionId, 'slow')).map((row) => [row.attempt, row.status])).toEqual([[1, 'cancelled']]);
    expect(await attemptRows(view.executionId, 'next')).toEqual([]);
    const description = await engine.temporal.workflow.getHandle(started.executionId).describe();
    expect(description.status.name).toBe('CANCELLED');
  });
});

describe('errors shown or stored are sanitized', () => {
  test('a node error with a stack and a secret reaches the mirror and the dead letter as type and clean message', async () => {
    const message = 'upstream refused postgres://svc:hunter2@db/prod\n    at call (/srv/client.js:10:5)';
    const view = await run(engine, { nodes: [{ id: 'call', type: 'mock', config: { fail: { type: 'Upstream', message, nonRetryable: true } } }] });
    const stored = JSON.stringify(await engine.pool.query('SELECT error FROM execution_steps WHERE execution_id = $1 UNION ALL SELECT error FROM execution_step_attempts WHERE execution_id = $1 UNION ALL SELECT error FROM executions WHERE id = $1 UNION ALL SELECT error FROM dead_letters WHERE execution_id = $1', [view.executionId]).then((r) => r.rows));
    expect(stored).toContain('Upstream');
    expect(stored).not.toContain('hunter2');
    expect(stored).not.toContain('client.js');
    expect(JSON.stringify(view.error)).not.toContain('hunter2');
  });
});
