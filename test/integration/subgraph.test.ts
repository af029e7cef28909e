/**
 * The `subgraph` node (DESIGN §11) on the real stack: a stored graph's pinned version runs as
 * the child execution `<parent>/<node>`, mirrored with its parent; its failure is the node's
 * SubgraphFailed; cancelling the parent cancels it; recursion ends at depth 10; `wf status`
 * shows the child; a resumed dead letter reuses a completed child's output.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { childExecutionId, deadLetterId } from '../../src/workflows/contracts/names';
import { MAX_SUBGRAPH_DEPTH } from '../../src/workflows/subgraph-runner';
import type { Json } from '../../src/workflows/graph/types';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId, statuses, stepOutput } from '../helpers/graphs';
import { waitFor } from '../helpers/wait-for';
import { runWf } from '../helpers/wf-cli';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

type Doc = Record<string, unknown> & { id: string };

/** Stores a child graph version (what `wf run` or POST /graphs would do before the parent names it). */
async function store(document: Doc): Promise<void> {
  await engine.client.storeGraph('default', { version: 1, ...document });
}

async function start(document: Doc, input: Json = {}): Promise<string> {
  return (await engine.client.start({ organizationId: 'default', graph: { version: 1, ...document }, input })).executionId;
}

async function mirrorRow(executionId: string): Promise<Record<string, unknown> | undefined> {
  return (await engine.pool.query('SELECT * FROM executions WHERE id = $1', [executionId])).rows[0];
}

async function temporalStatus(workflowId: string): Promise<string> {
  return (await engine.temporal.workflow.getHandle(workflowId).describe()).status.name;
}

/** `add-tax`: total = amount + 20 %. */
function addTax(): Doc {
  return { id: graphId('add-tax'), nodes: [{ id: 'total', type: 'transform', config: { output: { total: { $expr: 'input.amount + input.amount / 5' } } } }] };
}

describe('a child that completes', () => {
  test("its output is the node's output; the mirror has it under <parent>/<node> with parent_execution_id and the parent's deadline; wf status shows it", async () => {
    const child = addTax();
    await store(child);
    const parentId = await start(
      {
        id: graphId('checkout'),
        settings: { deadline: '10m' },
        nodes: [
          { id: 'cart', type: 'mock', config: { output: { amount: 100 } } },
          { id: 'tax', type: 'subgraph', config: { graphId: child.id, input: { amount: { $expr: 'input.amount' } } } },
          { id: 'charge', type: 'transform', config: { output: { charged: { $expr: 'input.total' } } } },
        ],
        edges: [
          { from: 'cart', to: 'tax' },
          { from: 'tax', to: 'charge' },
        ],
      },
      {},
    );
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ charged: 120 });
    expect(view.steps.tax).toMatchObject({ status: 'completed', attempts: 0 });
    expect(await stepOutput(engine, parentId, 'tax')).toEqual({ total: 120 });

    const childId = childExecutionId(parentId, 'tax');
    const parentRow = await mirrorRow(parentId);
    const childRow = await mirrorRow(childId);
    expect(childRow).toMatchObject({ organization_id: 'default', graph_id: child.id, graph_version: 1, status: 'completed', parent_execution_id: parentId, input: { amount: 100 }, output: { total: 120 }, workflow_id: childId });
    expect(parentRow!.deadline_at).toBeTruthy();
    expect(Date.parse(String(childRow!.deadline_at))).toBe(Date.parse(String(parentRow!.deadline_at)));
    expect(view.children).toEqual([{ nodeId: 'tax', executionId: childId, graphId: child.id, graphVersion: 1, status: 'completed' }]);
    expect(await temporalStatus(childId)).toBe('COMPLETED');

    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue };
    const text = await runWf(['status', parentId], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`tax → child ${childId} (${child.id} v1): completed`);
    const json = await runWf(['status', parentId, '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'completed', children: [{ nodeId: 'tax', executionId: childId, status: 'completed' }] });
    const ofChild = await runWf(['status', childId, '--json'], env);
    expect(JSON.parse(ofChild.stdout)).toMatchObject({ executionId: childId, status: 'completed', parentExecutionId: parentId, output: { total: 120 } });
    expect((await runWf(['status', childId], env)).stdout).toContain(`subgraph of ${parentId}`);
  });
});

describe('a child that fails', () => {
  test('fails the node with SubgraphFailed, the child error inside, taken by an error edge; the child gets no dead letter', async () => {
    const child: Doc = { id: graphId('card'), nodes: [{ id: 'authorize', type: 'mock', config: { fail: { type: 'Declined', message: 'card declined', nonRetryable: true } } }] };
    await store(child);
    const parentId = await start({
      id: graphId('pay'),
      nodes: [
        { id: 'pay', type: 'subgraph', config: { graphId: child.id } },
        { id: 'apologize', type: 'transform', config: { output: { failed: { $expr: 'input.error.type' }, inner: { $expr: 'input.error.child.error.node.type' } } } },
      ],
      edges: [{ from: 'pay', to: 'apologize', on: 'error' }],
    });
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ failed: 'SubgraphFailed', inner: 'Declined' });
    const childId = childExecutionId(parentId, 'pay');
    expect(view.steps.pay).toMatchObject({
      status: 'failed',
      error: { type: 'SubgraphFailed', child: { executionId: childId, error: { type: 'NodeFailed', node: { nodeId: 'authorize', type: 'Declined' } } } },
    });
    expect(view.steps.pay.error!.message).toContain(`(execution ${childId}) ended NodeFailed`);
    expect(await mirrorRow(childId)).toMatchObject({ status: 'failed', parent_execution_id: parentId, error: { type: 'NodeFailed' } });
    expect((await engine.pool.query('SELECT 1 FROM dead_letters WHERE execution_id = $1', [childId])).rowCount).toBe(0);
  });
});

describe('cancellation', () => {
  test('cancelling the parent cancels the running child', async () => {
    const child: Doc = { id: graphId('approval'), nodes: [{ id: 'approve', type: 'wait', config: { signal: 'approved' } }] };
    await store(child);
    const parentId = await start({ id: graphId('order'), nodes: [{ id: 'approval', type: 'subgraph', config: { graphId: child.id } }] });
    const childId = childExecutionId(parentId, 'approval');
    await waitFor('the child to wait for its signal', 30_000, async () => {
      const step = (await engine.pool.query("SELECT 1 FROM execution_steps WHERE execution_id = $1 AND node_id = 'approve' AND status = 'waiting'", [childId])).rowCount;
      return step ? true : undefined;
    });
    await engine.client.cancel('default', parentId);
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.status).toBe('cancelled');
    expect(statuses(view)).toEqual({ approval: 'cancelled' });
    const childView = await engine.client.waitForEnd('default', childId);
    expect(childView.status).toBe('cancelled');
    expect(await temporalStatus(childId)).toBe('CANCELLED');
  });
});

describe('deadline', () => {
  test("the child carries the parent's deadline instant; when it passes, the parent times out and cancels the child", async () => {
    const child: Doc = { id: graphId('slow'), nodes: [{ id: 'hold', type: 'wait', config: { signal: 'never' } }] };
    await store(child);
    const parentId = await start({ id: graphId('bounded'), settings: { deadline: '2s' }, nodes: [{ id: 'slow', type: 'subgraph', config: { graphId: child.id } }] });
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.status).toBe('timed_out');
    expect(view.error).toMatchObject({ type: 'DeadlineExceeded' });
    const childId = childExecutionId(parentId, 'slow');
    const childView = await engine.client.waitForEnd('default', childId);
    // The parent's timer enforces the inherited instant: it cancels the child (which runs no timer of its own for it).
    expect(childView.status).toBe('cancelled');
    expect(statuses(view)).toEqual({ slow: 'cancelled' });
    const rows = await engine.pool.query<{ id: string; deadline_at: string }>('SELECT id, deadline_at FROM executions WHERE id IN ($1, $2)', [parentId, childId]);
    expect(new Set(rows.rows.map((row) => Date.parse(String(row.deadline_at)))).size).toBe(1);
  });
});

describe('versions', () => {
  test('the latest version when the parent started is pinned: one published mid-run is not used', async () => {
    const child: Doc = { id: graphId('pricing'), nodes: [{ id: 'v', type: 'transform', config: { output: { version: 1 } } }] };
    await store(child);
    const parent: Doc = {
      id: graphId('quote'),
      nodes: [
        { id: 'gate', type: 'wait', config: { signal: 'go' } },
        { id: 'price', type: 'subgraph', config: { graphId: child.id } },
      ],
      edges: [{ from: 'gate', to: 'price' }],
    };
    const parentId = await start(parent);
    await waitFor('the gate to wait', 30_000, async () => ((await engine.pool.query("SELECT 1 FROM execution_steps WHERE execution_id = $1 AND node_id = 'gate' AND status = 'waiting'", [parentId])).rowCount ? true : undefined));
    await store({ ...child, version: 2, nodes: [{ id: 'v', type: 'transform', config: { output: { version: 2 } } }] });
    await engine.client.signal('default', parentId, 'go');
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.output).toEqual({ version: 1 });
    expect(view.children).toMatchObject([{ graphVersion: 1 }]);
    // A parent started now pins version 2; one naming version 1 keeps it.
    const later = await start({ id: graphId('quote-later'), nodes: [(parent.nodes as unknown[])[1]] });
    expect((await engine.client.waitForEnd('default', later)).output).toEqual({ version: 2 });
    const named = await start({ id: graphId('quote-v1'), nodes: [{ id: 'price', type: 'subgraph', config: { graphId: child.id, version: 1 } }] });
    expect((await engine.client.waitForEnd('default', named)).output).toEqual({ version: 1 });
  });

  test('the pin survives continue-as-new', async () => {
    const child: Doc = { id: graphId('pricing-long'), nodes: [{ id: 'v', type: 'transform', config: { output: { version: 1 } } }] };
    await store(child);
    const steps = Array.from({ length: 6 }, (_, i) => ({ id: `step_${i}`, type: 'mock', config: { output: { step: i } } }));
    const parent = {
      id: graphId('quote-long'),
      version: 1,
      nodes: [{ id: 'gate', type: 'wait', config: { signal: 'go' } }, ...steps, { id: 'price', type: 'subgraph', config: { graphId: child.id } }],
      edges: [{ from: 'gate', to: 'step_0' }, ...steps.slice(1).map((step, i) => ({ from: `step_${i}`, to: step.id })), { from: 'step_5', to: 'price' }],
    };
    const { executionId } = await engine.client.start({ organizationId: 'default', graph: parent, input: {}, continueAsNewAtEvents: 20 });
    await waitFor('the gate to wait', 30_000, async () => ((await engine.pool.query("SELECT 1 FROM execution_steps WHERE execution_id = $1 AND node_id = 'gate' AND status = 'waiting'", [executionId])).rowCount ? true : undefined));
    await store({ ...child, version: 2, nodes: [{ id: 'v', type: 'transform', config: { output: { version: 2 } } }] });
    await engine.client.signal('default', executionId, 'go');
    const view = await engine.client.waitForEnd('default', executionId);
    expect(view.output).toEqual({ version: 1 });
    const history = await engine.temporal.workflow.getHandle(executionId).fetchHistory();
    expect(history.events?.[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
  });

  test('a graph with no stored version fails the node with SubgraphNotFound', async () => {
    const parentId = await start({ id: graphId('lost'), nodes: [{ id: 'missing', type: 'subgraph', config: { graphId: graphId('nowhere') } }] });
    const view = await engine.client.waitForEnd('default', parentId);
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'missing', type: 'SubgraphNotFound' } });
    expect(view.children).toBeUndefined();
  });
});

describe('recursion', () => {
  test('direct recursion is refused before anything starts', async () => {
    const id = graphId('self');
    await expect(start({ id, nodes: [{ id: 'again', type: 'subgraph', config: { graphId: id } }] })).rejects.toMatchObject({
      problems: [{ path: '$.nodes[0].config.graphId', message: expect.stringContaining('recursion is refused') }],
    });
  });

  test(`indirect recursion (a → b → a) ends at depth ${MAX_SUBGRAPH_DEPTH} with SubgraphDepthExceeded`, async () => {
    const a = graphId('ping');
    const b = graphId('pong');
    await store({ id: b, nodes: [{ id: 'next', type: 'subgraph', config: { graphId: a } }] });
    const top = await start({ id: a, nodes: [{ id: 'next', type: 'subgraph', config: { graphId: b } }] });
    const view = await engine.client.waitForEnd('default', top);
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ type: 'NodeFailed', node: { nodeId: 'next', type: 'SubgraphFailed' } });
    const chain = await engine.pool.query<{ id: string; status: string; parent_execution_id: string | null }>(
      "SELECT id, status, parent_execution_id FROM executions WHERE id = $1 OR id LIKE $2 ORDER BY length(id)",
      [top, `${top}/%`],
    );
    expect(chain.rows).toHaveLength(MAX_SUBGRAPH_DEPTH + 1);
    chain.rows.slice(1).forEach((row, index) => expect(row.parent_execution_id).toBe(chain.rows[index].id));
    const deepest = chain.rows[MAX_SUBGRAPH_DEPTH].id;
    expect(chain.rows.every((row) => row.status === 'failed')).toBe(true);
    const step = (await engine.pool.query("SELECT error FROM execution_steps WHERE execution_id = $1 AND node_id = 'next'", [deepest])).rows[0];
    expect(step.error).toMatchObject({ type: 'SubgraphDepthExceeded' });
    // One dead letter, the top-level execution's; none for its children.
    expect((await engine.pool.query('SELECT execution_id FROM dead_letters WHERE execution_id = $1 OR execution_id LIKE $2', [top, `${top}/%`])).rows).toEqual([{ execution_id: top }]);
  });
});

describe('resume from a dead letter', () => {
  test("reuses the completed child's output: the child does not run again", async () => {
    const child = addTax();
    await store(child);
    const parentId = await start(
      {
        id: graphId('ship-order'),
        nodes: [
          { id: 'tax', type: 'subgraph', config: { graphId: child.id } },
          // Fails its one attempt while the execution input says so.
          { id: 'ship', type: 'mock', config: { failAttempts: { $expr: 'execution.input.failShip' }, output: { shipped: { $expr: 'input.total' } } }, retry: { maxAttempts: 1 } },
        ],
        edges: [{ from: 'tax', to: 'ship' }],
      },
      { amount: 50, failShip: 1 },
    );
    const failed = await engine.client.waitForEnd('default', parentId);
    expect(failed.status).toBe('failed');
    expect(statuses(failed)).toEqual({ tax: 'completed', ship: 'failed' });

    const retried = await engine.client.retryDeadLetter('default', deadLetterId(parentId), { resume: true, input: { amount: 50, failShip: 0 }, actor: 'tester' });
    const view = await engine.client.waitForEnd('default', retried.executionId);
    expect(view.status).toBe('completed');
    expect(view.steps.tax).toMatchObject({ status: 'completed', reused: true });
    expect(view.output).toEqual({ shipped: 60 });
    expect(view.children).toBeUndefined();
    expect(await mirrorRow(childExecutionId(retried.executionId, 'tax'))).toBeUndefined();
    expect((await engine.pool.query('SELECT count(*)::int AS n FROM executions WHERE parent_execution_id IN ($1, $2)', [parentId, retried.executionId])).rows[0].n).toBe(1);
  });
});
