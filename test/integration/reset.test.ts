/**
 * `temporal workflow reset` of an execution that failed: the new run's final word updates the
 * mirror, so Temporal and SQL agree again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

test('a reset run that completes brings the mirror from failed to completed', async () => {
  const started = await engine.client.start({
    organizationId: 'default',
    graph: {
      id: graphId('reset'),
      version: 1,
      nodes: [
        { id: 'prepare', type: 'mock', config: { output: { ready: true } } },
        { id: 'approval', type: 'wait', config: { signal: 'go', timeout: '1500ms' } },
      ],
      edges: [{ from: 'prepare', to: 'approval' }],
    },
  });
  const failed = await engine.client.waitForEnd('default', started.executionId);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatchObject({ type: 'WaitTimeout' });

  // Reset to the workflow task that followed `prepare`'s completion: it runs again from there.
  const handle = engine.temporal.workflow.getHandle(started.executionId);
  const history = await handle.fetchHistory();
  const events = history.events!;
  const completedAt = events.findIndex((event) => event.activityTaskCompletedEventAttributes);
  const taskStarted = events.slice(completedAt).find((event) => event.workflowTaskStartedEventAttributes)!;
  const description = await handle.describe();
  await engine.temporal.workflowService.resetWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: started.executionId, runId: description.runId },
    workflowTaskFinishEventId: taskStarted.eventId,
    requestId: randomUUID(),
    reason: 'test: approve after all',
  });
  const reset = engine.temporal.workflow.getHandle(started.executionId);
  await reset.signal('go', { approvedBy: 'ops' });
  await reset.result();

  const view = await engine.client.status('default', started.executionId);
  expect(view.status).toBe('completed');
  expect(view.error).toBeNull();
  expect(view.output).toEqual({ approvedBy: 'ops' });
  expect(view.steps).toMatchObject({ prepare: { status: 'completed' }, approval: { status: 'completed' } });
  const row = await engine.pool.query('SELECT run_id FROM executions WHERE id = $1', [started.executionId]);
  expect(row.rows[0].run_id).toBe((await reset.describe()).runId);
});
