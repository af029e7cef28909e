/**
 * The representative graphs whose histories live under test/histories/ (DESIGN §4): one per
 * path through the interpreter. Node delays are tiny so recording them all takes seconds.
 * A new path through the workflow code deserves a graph here (and `npm run histories:record`).
 */
import { CANCELLED, DEAD_LETTER_FAILURE, SUBGRAPH } from './driven-representative-graphs';
import type { RepresentativeGraph } from './representative-graph';

export type { RecordingContext, RepresentativeGraph } from './representative-graph';

const quick = { initialInterval: '10ms', backoffCoefficient: 1 };

/** Reserve and charge complete, ship fails for good: charge then reserve are compensated. */
const COMPENSATION_GRAPH: Record<string, unknown> = {
  id: 'history-compensation',
  version: 1,
  nodes: [
    { id: 'reserve', type: 'mock', config: { output: { reservation: 'r-1' } }, compensate: { type: 'mock', config: { output: 'released' } } },
    { id: 'charge', type: 'mock', config: { output: { payment: 'p-1' } }, compensate: { type: 'mock', config: { output: 'refunded' } } },
    { id: 'ship', type: 'mock', config: { fail: { type: 'OutOfStock', message: 'nothing to ship', nonRetryable: true } } },
  ],
  edges: [
    { from: 'reserve', to: 'charge' },
    { from: 'charge', to: 'ship' },
  ],
};

/** The representative graphs of DESIGN §4: one per path through the interpreter. */
export const REPRESENTATIVE_GRAPHS: readonly RepresentativeGraph[] = [
  {
    name: 'if-else-merge',
    expectStatus: 'completed',
    input: { n: 7 },
    graph: {
      id: 'history-if-else-merge',
      version: 1,
      nodes: [
        { id: 'fetch', type: 'mock', config: { delayMs: 5, output: { n: { $expr: 'input.n * 2' } } } },
        { id: 'big', type: 'transform', config: { output: { size: 'big', n: { $expr: 'input.n' } } } },
        { id: 'small', type: 'mock', config: { output: { size: 'small', n: { $expr: 'input.n' } } } },
        { id: 'merge', type: 'mock', config: { output: { $expr: 'input' } } },
      ],
      edges: [
        { from: 'fetch', to: 'big', when: 'output.n > 10' },
        { from: 'fetch', to: 'small', when: 'output.n <= 10' },
        { from: 'big', to: 'merge' },
        { from: 'small', to: 'merge' },
      ],
    },
  },
  {
    name: 'fan-out-20',
    expectStatus: 'completed',
    input: { items: 20 },
    graph: {
      id: 'history-fan-out-20',
      version: 1,
      // Fewer slots than branches, so the history also shows branches waiting for a slot.
      settings: { maxParallelism: 8 },
      nodes: [
        { id: 'split', type: 'noop' },
        ...Array.from({ length: 20 }, (_, i) => ({ id: `branch_${i + 1}`, type: 'mock', config: { output: { branch: i + 1 } } })),
        { id: 'gather', type: 'transform', config: { output: { count: { $expr: 'size(input)' } } } },
      ],
      edges: [
        ...Array.from({ length: 20 }, (_, i) => ({ from: 'split', to: `branch_${i + 1}` })),
        ...Array.from({ length: 20 }, (_, i) => ({ from: `branch_${i + 1}`, to: 'gather' })),
      ],
    },
  },
  {
    name: 'retries',
    expectStatus: 'completed',
    graph: {
      id: 'history-retries',
      version: 1,
      nodes: [
        { id: 'flaky', type: 'mock', config: { failAttempts: 2, output: 'ok' }, retry: { maxAttempts: 3, ...quick } },
        { id: 'after', type: 'mock', config: { output: { $expr: 'input' } } },
      ],
      edges: [{ from: 'flaky', to: 'after' }],
    },
  },
  {
    // Fast nodes: local activities (markers, no activity tasks) through retries, an error edge and a compensation.
    name: 'local-nodes',
    expectStatus: 'failed',
    verify: (view) => (view.steps.reserve?.status === 'compensated' && view.steps.apologise?.status === 'completed' && view.steps.flaky?.attempts === 3 ? undefined : `local nodes did not run as expected (${JSON.stringify(view.steps)})`),
    graph: {
      id: 'history-local-nodes',
      version: 1,
      settings: { onFailure: 'fail' },
      nodes: [
        { id: 'flaky', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { failAttempts: 2, output: 'ok' }, retry: { maxAttempts: 3, ...quick } },
        { id: 'reserve', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { output: 'reserved' }, compensate: { type: 'mock' } },
        { id: 'charge', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { fail: { type: 'CardDeclined', nonRetryable: true } } },
        { id: 'apologise', type: 'mock', config: { output: { $expr: 'input.error.type' } } },
        { id: 'ship', type: 'mock', local: true, timeout: { startToClose: '5s' }, config: { fail: { type: 'Broken', nonRetryable: true } } },
      ],
      edges: [
        { from: 'flaky', to: 'reserve' },
        { from: 'reserve', to: 'charge' },
        { from: 'charge', to: 'apologise', on: 'error' },
        { from: 'apologise', to: 'ship' },
      ],
    },
  },
  {
    name: 'error-edge',
    expectStatus: 'completed',
    graph: {
      id: 'history-error-edge',
      version: 1,
      nodes: [
        { id: 'charge', type: 'mock', config: { fail: { type: 'CardDeclined', message: 'declined', nonRetryable: true } } },
        { id: 'apologise', type: 'mock', config: { output: { $expr: 'input.error.type' } } },
      ],
      edges: [{ from: 'charge', to: 'apologise', on: 'error' }],
    },
  },
  {
    name: 'failure-cancelled',
    expectStatus: 'failed',
    graph: {
      id: 'history-failure-cancelled',
      version: 1,
      nodes: [
        { id: 'boom', type: 'mock', config: { delayMs: 50, fail: { type: 'Boom', message: 'no luck', nonRetryable: true } } },
        // Still running when boom fails: cancelled by the failure.
        { id: 'slow', type: 'mock', config: { delayMs: 3000, heartbeat: true }, timeout: { heartbeat: '1s' } },
        // Never starts: ends cancelled.
        { id: 'after', type: 'mock' },
      ],
      edges: [
        { from: 'boom', to: 'after' },
        { from: 'slow', to: 'after' },
      ],
    },
  },
  {
    name: 'compensation',
    expectStatus: 'failed',
    verify: (view) => {
      const statuses = ['reserve', 'charge'].map((id) => `${id} ${view.steps[id]?.status}`);
      return statuses.every((text) => text.endsWith(' compensated')) ? undefined : `compensation did not run (${statuses.join(', ')})`;
    },
    graph: COMPENSATION_GRAPH,
  },
  {
    name: 'delay',
    expectStatus: 'completed',
    graph: {
      id: 'history-delay',
      version: 1,
      nodes: [
        { id: 'before', type: 'mock', config: { output: 'ready' } },
        { id: 'pause', type: 'delay', config: { duration: '100ms' } },
        { id: 'after', type: 'mock', config: { output: { $expr: 'input' } } },
      ],
      edges: [
        { from: 'before', to: 'pause' },
        { from: 'pause', to: 'after' },
      ],
    },
  },
  {
    name: 'wait',
    expectStatus: 'completed',
    // A wait node takes the signal named by its config, sent to the workflow by that name
    // with the payload as its one argument (src/workflows/signal-inbox.ts).
    drive: async ({ temporal }, executionId) => temporal.workflow.getHandle(executionId).signal('approve', { approved: true, by: 'recorder' }),
    verify: (view) => (view.steps.approval?.status === 'completed' ? undefined : `the wait node ended ${view.steps.approval?.status}`),
    graph: {
      id: 'history-wait',
      version: 1,
      nodes: [
        { id: 'request', type: 'mock', config: { output: 'please approve' } },
        { id: 'approval', type: 'wait', config: { signal: 'approve', timeout: '1m' } },
        { id: 'after', type: 'mock', config: { output: { $expr: 'input' } } },
      ],
      edges: [
        { from: 'request', to: 'approval' },
        { from: 'approval', to: 'after' },
      ],
    },
  },
  {
    name: 'deadline',
    expectStatus: 'timed_out',
    graph: {
      id: 'history-deadline',
      version: 1,
      settings: { deadline: '300ms' },
      nodes: [
        { id: 'quick', type: 'mock', config: { output: 1 } },
        { id: 'too_slow', type: 'mock', config: { delayMs: 3000, heartbeat: true }, timeout: { heartbeat: '1s' } },
      ],
      edges: [{ from: 'quick', to: 'too_slow' }],
    },
  },
  DEAD_LETTER_FAILURE,
  CANCELLED,
  {
    name: 'continue-as-new',
    expectStatus: 'completed',
    continueAsNewAtEvents: 20,
    graph: {
      id: 'history-continue-as-new',
      version: 1,
      nodes: Array.from({ length: 6 }, (_, i) => ({ id: `step_${i + 1}`, type: 'mock', config: { output: { step: i + 1 } } })),
      edges: Array.from({ length: 5 }, (_, i) => ({ from: `step_${i + 1}`, to: `step_${i + 2}` })),
    },
  },
  {
    // Queued for a slot of its concurrency key, granted, run, released.
    name: 'concurrency',
    expectStatus: 'completed',
    graph: {
      id: 'history-concurrency',
      version: 1,
      settings: { concurrency: { key: "'history:' + string(input.account)", max: 1 } },
      nodes: [{ id: 'work', type: 'mock', config: { output: { done: true } } }],
    },
    input: { account: 1 },
  },
  SUBGRAPH,
];
