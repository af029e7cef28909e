/**
 * The representative graphs (./representative-graphs.ts) whose recording does more than start
 * and wait: one that is then resumed from its dead letter, one cancelled while a node runs,
 * and one whose child workflow is recorded too.
 */
import { childExecutionId, deadLetterId } from '../workflows/contracts/names';
import type { RepresentativeGraph } from './representative-graph';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure, its dead letter, and the execution that resumes it. */
export const DEAD_LETTER_FAILURE: RepresentativeGraph = {
  // A failure leaves a dead letter (its own workflow); resuming it starts a new execution
  // seeded with what completed. Recorded: the resumed execution and the dead letter.
  name: 'dead-letter-failure',
  expectStatus: 'failed',
  save: false,
  input: { down: true },
  graph: {
    id: 'history-dead-letter',
    version: 1,
    nodes: [
      { id: 'prepare', type: 'mock', config: { output: { order: 'o-1' } } },
      { id: 'pay', type: 'mock', config: { failAttempts: { $expr: 'execution.input.down ? 1 : 0' }, output: 'paid' }, retry: { maxAttempts: 1 } },
      { id: 'notify', type: 'mock', config: { output: { $expr: 'input' } } },
    ],
    edges: [
      { from: 'prepare', to: 'pay' },
      { from: 'pay', to: 'notify' },
    ],
  },
  after: async ({ client }, executionId) => {
    const letter = deadLetterId(executionId);
    const retry = await client.retryDeadLetter('default', letter, { resume: true, input: { down: false }, actor: 'recorder' });
    const resumed = await client.waitForEnd('default', retry.executionId);
    if (resumed.status !== 'completed' || !resumed.steps.prepare?.reused) {
      throw new Error(`dead-letter-resume: execution ${retry.executionId} ended ${resumed.status}, prepare ${resumed.steps.prepare?.reused ? 'reused' : 'not reused'}`);
    }
    return [
      { name: 'dead-letter-resume', workflowId: retry.executionId },
      { name: 'dead-letter', workflowId: letter },
    ];
  },
};

/** Cancelled while its middle node runs. */
export const CANCELLED: RepresentativeGraph = {
  name: 'cancelled',
  expectStatus: 'cancelled',
  graph: {
    id: 'history-cancelled',
    version: 1,
    nodes: [
      { id: 'first', type: 'mock', config: { output: 1 } },
      { id: 'long', type: 'mock', config: { delayMs: 5000, heartbeat: true }, timeout: { heartbeat: '1s' } },
      { id: 'never', type: 'mock' },
    ],
    edges: [
      { from: 'first', to: 'long' },
      { from: 'long', to: 'never' },
    ],
  },
  drive: async ({ client }, executionId) => {
    // Cancel once `long` runs (the mirror says so; history shows an activity as started
    // only once it ends), so the history shows a running node cancelled.
    for (let i = 0; i < 200; i++) {
      const view = await client.status('default', executionId).catch(() => undefined);
      if (view?.steps.long?.status === 'running') break;
      await sleep(25);
    }
    await client.cancel('default', executionId);
  },
};

/** A subgraph node and its child execution. */
export const SUBGRAPH: RepresentativeGraph = {
  // A subgraph node: the child graph's version pinned at start, loaded, run as a child workflow.
  name: 'subgraph',
  expectStatus: 'completed',
  input: { amount: 100 },
  prepare: async ({ client }) => {
    await client.storeGraph('default', {
      id: 'history-subgraph-tax',
      version: 1,
      nodes: [{ id: 'total', type: 'transform', config: { output: { total: { $expr: 'input.amount + input.amount / 5' } } } }],
    });
  },
  graph: {
    id: 'history-subgraph',
    version: 1,
    nodes: [
      { id: 'tax', type: 'subgraph', config: { graphId: 'history-subgraph-tax', input: { amount: { $expr: 'input.amount' } } } },
      { id: 'charge', type: 'mock', config: { output: { charged: { $expr: 'input.total' } } } },
    ],
    edges: [{ from: 'tax', to: 'charge' }],
  },
  verify: (view) => (JSON.stringify(view.output) === '{"charged":120}' ? undefined : `output ${JSON.stringify(view.output)}`),
  after: async (_context, executionId) => [{ name: 'subgraph-child', workflowId: childExecutionId(executionId, 'tax') }],
};
