/**
 * The graph the chaos suite runs: 20 nodes, mostly `mock` activities, with what a fault must
 * not break: parallel branches and joins, retries (`failAttempts`), an error edge that
 * handles a failed lookup, compensations that undo a reservation and a charge when a later
 * node fails for good, long nodes that heartbeat, and a concurrency key with FIFO slots.
 *
 * Per execution (input `{i}`): odd `i` take the error edge (lookup fails for good, fallback
 * runs); every fifth is doomed (`risky` fails for good: reserve and charge are compensated,
 * the execution fails and gets a dead letter). The others complete.
 */
import type { Json } from '../../src/workflows/graph/types';

export const CHAOS_ORGANIZATION = 'default';

/** Two keys, so that more than one slots workflow is exercised. */
export const CHAOS_KEYS = ['chaos:0', 'chaos:1'] as const;

type Node = Record<string, unknown> & { id: string };

const RETRY = { initialInterval: '200ms' };

// No `timeout`: a lost attempt is noticed by the mock type's default heartbeat timeout.
function mock(id: string, config: Record<string, Json> = {}, extra: Record<string, unknown> = {}): Node {
  return { id, type: 'mock', config, retry: RETRY, ...extra };
}

const PACKS = [100, 300, 500, 800].map((delayMs, i) => mock(`pack_${i + 1}`, { delayMs, ...(i === 1 ? { failAttempts: 1 } : {}) }));

const NODES: Node[] = [
  mock('start', { delayMs: 100 }),
  mock('audit', { delayMs: 1500 }),
  mock('a1', { delayMs: 100, failAttempts: 1 }),
  mock('a2', { delayMs: 1200 }),
  mock('a3', { delayMs: 200 }),
  { id: 'prepare', type: 'transform', config: { output: { i: { $expr: 'execution.input.i' } } } },
  mock('reserve', { delayMs: 300 }, { compensate: { type: 'mock', config: { delayMs: 100 } } }),
  mock('lookup', { delayMs: 100, failAttempts: { $expr: 'execution.input.i % 2 == 1 ? 9 : 0' } }, { retry: { ...RETRY, maxAttempts: 2 } }),
  mock('fallback', { delayMs: 100 }),
  mock('enrich', { delayMs: 200 }),
  { id: 'merge', type: 'noop' },
  mock('charge', { delayMs: 200, failAttempts: 1 }, { compensate: { type: 'mock', config: { delayMs: 100 } } }),
  ...PACKS,
  { id: 'collect', type: 'noop' },
  mock('risky', { delayMs: 100, failAttempts: { $expr: 'execution.input.doomed ? 9 : 0' } }, { retry: { ...RETRY, maxAttempts: 2 } }),
  mock('ship', { delayMs: 200 }),
];

const EDGES = [
  ...['audit', 'a1', 'a2', 'a3'].map((to) => ({ from: 'start', to })),
  ...['a1', 'a2', 'a3'].map((from) => ({ from, to: 'prepare' })),
  { from: 'prepare', to: 'reserve' },
  { from: 'prepare', to: 'lookup' },
  { from: 'lookup', to: 'enrich' },
  { from: 'lookup', to: 'fallback', on: 'error' },
  ...['reserve', 'enrich', 'fallback'].map((from) => ({ from, to: 'merge' })),
  { from: 'merge', to: 'charge' },
  ...PACKS.map((pack) => ({ from: 'charge', to: pack.id })),
  ...[...PACKS.map((pack) => pack.id), 'audit'].map((from) => ({ from, to: 'collect' })),
  { from: 'collect', to: 'risky' },
  { from: 'risky', to: 'ship' },
];

/** The graph document, with at most `slots` executions of one key running at once. */
export function chaosGraph(slots: number): Record<string, unknown> {
  return {
    id: 'chaos',
    version: 1,
    name: 'Chaos suite',
    settings: { maxParallelism: 8, concurrency: { key: "'chaos:' + string(execution.input.i % 2)", max: slots } },
    nodes: NODES,
    edges: EDGES,
  };
}

export interface ChaosInput {
  i: number;
  doomed: boolean;
}

export function chaosInput(i: number): ChaosInput {
  return { i, doomed: i % 5 === 4 };
}

/** What an execution ends as when no fault changed anything. */
export function expectedStatus(input: ChaosInput): 'completed' | 'failed' {
  return input.doomed ? 'failed' : 'completed';
}
