/**
 * Signals sent around the API and the CLI, with the raw Temporal client (what `temporal
 * workflow signal` does): a forged `slotGranted` cannot start a queued execution, and no
 * payload (null, a wrong shape, one that cannot be decoded) fails a workflow task of an
 * execution, of a key's slots workflow or of a dead letter; each is logged and dropped. And a
 * slot holder ended from outside (`temporal workflow terminate`) frees its slot.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { workflowTags } from '../../src/common/workflow-tags';
import type { GraphExecutionArgs } from '../../src/workflows/contracts/execution';
import { deadLetterId, GRAPH_WORKFLOW, SLOTS_WORKFLOW, slotsWorkflowId } from '../../src/workflows/contracts/names';
import { acquireSlotSignal, type SlotsArgs } from '../../src/workflows/contracts/slots';
import type { GraphDocument } from '../../src/workflows/graph/types';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { graphId } from '../helpers/graphs';
import { workflowTaskFailures } from '../helpers/history';
import { sleep, waitUntil } from '../helpers/wait-for';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => engine?.stop());

const statusOf = async (executionId: string): Promise<string> => (await engine.client.status('default', executionId)).status;

/** A graph whose executions hold their slot of `key` (max 1) until signalled `go`. */
function holding(key: string) {
  return { id: graphId('hold'), version: 1, settings: { concurrency: { key: `'${key}'`, max: 1 } }, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'go', timeout: '2m' } }] };
}

/** Execution `first` holds the key's only slot, `second` is queued behind it. */
async function holderAndQueued(key: string): Promise<{ first: string; second: string }> {
  const graph = holding(key);
  const first = (await engine.client.start({ organizationId: 'default', graph })).executionId;
  await waitUntil(async () => (await statusOf(first)) === 'running', 'the first execution to hold the slot');
  const second = (await engine.client.start({ organizationId: 'default', graph })).executionId;
  await waitUntil(async () => (await engine.client.queueStats('default', key)).queued === 1, 'the second execution to queue');
  await waitUntil(async () => (await statusOf(second)) === 'queued', 'the mirror to show it queued');
  return { first, second };
}

/** A signal whose payload no converter can decode (what `temporal workflow signal --input-meta encoding=…` can send). */
async function rawSignal(workflowId: string, signalName: string, encoding: string, data: string): Promise<void> {
  await engine.temporal.workflowService.signalWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId },
    signalName,
    input: { payloads: [{ metadata: { encoding: Buffer.from(encoding) }, data: Buffer.from(data) }] },
  });
}

test('a forged slotGranted does not start a queued execution, and no bad payload fails a workflow task', async () => {
  const key = `forged-${Date.now()}`;
  const { first, second } = await holderAndQueued(key);
  const now = new Date().toISOString();
  const queued = engine.temporal.workflow.getHandle(second);
  for (const payload of [{ grantedAt: now }, { grantedAt: now, token: 'guessed' }, null, 'granted', { grantedAt: 'soon' }, [now]]) await queued.signal('slotGranted', payload);
  await queued.signal('slotGranted');
  await rawSignal(second, 'slotGranted', 'json/plain', '{"grantedAt": ');
  const slots = engine.temporal.workflow.getHandle(slotsWorkflowId('default', key));
  const malformed = { acquireSlot: [null, 'x', { executionId: 7 }, { executionId: second, max: 'many', requestedAt: now }], releaseSlot: [null, 'x', { executionId: 7 }, { executionId: '' }] };
  for (const [name, payloads] of Object.entries(malformed)) {
    for (const payload of payloads) await slots.signal(name, payload);
    await rawSignal(slots.workflowId, name, 'weird/encoding', 'abc');
  }
  // User signals to the holder: undecodable, bytes, a name Temporal reserves. None is taken.
  await rawSignal(first, 'go', 'json/plain', '{not json');
  await rawSignal(first, 'go', 'binary/plain', 'bytes');
  await engine.temporal.workflow.getHandle(first).signal('__temporal_anything', 1);
  await sleep(2000);

  expect(await statusOf(second)).toBe('queued');
  expect(await engine.client.queueStats('default', key)).toMatchObject({ active: 1, queued: 1 });
  expect((await engine.client.status('default', first)).steps.approval.status).toBe('waiting');

  await engine.client.signal('default', first, 'go', { ok: true });
  await waitUntil(async () => (await statusOf(second)) === 'running', 'the queued execution to get the slot');
  await engine.client.signal('default', second, 'go', { ok: 2 });
  const [one, two] = await Promise.all([first, second].map((id) => engine.client.waitForEnd('default', id)));
  expect([one.status, two.status]).toEqual(['completed', 'completed']);
  expect(one.output).toEqual({ ok: true });
  expect(Date.parse(two.startedAt!)).toBeGreaterThanOrEqual(Date.parse(one.finishedAt!));
  for (const workflowId of [first, second, slots.workflowId]) expect({ workflowId, failures: await workflowTaskFailures(engine.temporal, workflowId) }).toEqual({ workflowId, failures: [] });
}, 90_000);

test('a wait node takes any JSON, and a signal without a payload as null', async () => {
  const graph = { id: graphId('wait-null'), version: 1, nodes: [{ id: 'approval', type: 'wait', config: { signal: 'go', timeout: '1m' } }] };
  const started = await engine.client.start({ organizationId: 'default', graph });
  await waitUntil(async () => (await engine.client.status('default', started.executionId)).steps.approval?.status === 'waiting', 'the wait node');
  await rawSignal(started.executionId, 'go', 'binary/null', '');
  const view = await engine.client.waitForEnd('default', started.executionId);
  expect(view).toMatchObject({ status: 'completed', output: null });
  expect(await workflowTaskFailures(engine.temporal, started.executionId)).toEqual([]);
});

test('a dead letter drops malformed resolve signals and is still resolved by a purge', async () => {
  const graph = { id: graphId('dlq-signals'), version: 1, nodes: [{ id: 'work', type: 'mock', config: { fail: { type: 'Boom', nonRetryable: true } } }] };
  const started = await engine.client.start({ organizationId: 'default', graph });
  expect((await engine.client.waitForEnd('default', started.executionId)).status).toBe('failed');
  const letter = engine.temporal.workflow.getHandle(deadLetterId(started.executionId));
  await waitUntil(async () => (await letter.describe().catch(() => undefined))?.status.name === 'RUNNING', 'the dead-letter workflow');
  for (const payload of [null, 'purged', { action: 'deleted', by: 'x' }, { action: 'purged' }]) await letter.signal('resolve', payload);
  await rawSignal(letter.workflowId, 'resolve', 'json/plain', '{');
  await sleep(1500);
  expect((await letter.describe()).status.name).toBe('RUNNING');
  await engine.client.purgeDeadLetter('default', letter.workflowId, 'test');
  expect(await letter.result()).toMatchObject({ action: 'purged', by: 'test' });
  expect(await workflowTaskFailures(engine.temporal, letter.workflowId)).toEqual([]);
});

test('a slot holder ended with terminate frees its slot: the queued execution runs', async () => {
  const key = `terminated-${Date.now()}`;
  const { first, second } = await holderAndQueued(key);
  await engine.temporal.workflow.getHandle(first).terminate('ended from outside');
  await waitUntil(async () => (await statusOf(second)) === 'running', 'the queued execution to get the freed slot');
  await engine.client.signal('default', second, 'go', {});
  expect((await engine.client.waitForEnd('default', second)).status).toBe('completed');
  await waitUntil(async () => (await engine.client.queueStats('default', key)).active === 0, 'the slot to be released');
  expect(await engine.client.queueStats('default', key)).toMatchObject({ active: 0, queued: 0 });
}, 60_000);

test('an execution whose first ask carried no token (an older client) still gets its slot from its own ask', async () => {
  // As an older client started it: no slotToken in the arguments, and a tokenless ask. The
  // grant answering that ask is dropped; the execution's own ask brings its token, and the
  // slots workflow grants again with it.
  const key = `tokenless-${Date.now()}`;
  const graph: GraphDocument = { id: graphId('tokenless'), version: 1, settings: { concurrency: { key: `'${key}'`, max: 1 } }, nodes: [{ id: 'work', type: 'mock', config: {} }], edges: [] };
  const executionId = `${graph.id}-by-hand`;
  const args: GraphExecutionArgs = { executionId, organizationId: 'default', graph, input: {}, concurrencyKey: key };
  await engine.temporal.workflow.start(GRAPH_WORKFLOW, { taskQueue: engine.taskQueue, workflowId: executionId, args: [args], ...workflowTags('default', graph) });
  await engine.temporal.workflow.signalWithStart(SLOTS_WORKFLOW, {
    workflowId: slotsWorkflowId('default', key),
    taskQueue: engine.taskQueue,
    args: [{ organizationId: 'default', key } satisfies SlotsArgs],
    signal: acquireSlotSignal,
    signalArgs: [{ executionId, max: 1, requestedAt: new Date().toISOString() }],
  });
  expect((await engine.client.waitForEnd('default', executionId)).status).toBe('completed');
  expect(await workflowTaskFailures(engine.temporal, executionId)).toEqual([]);
});
