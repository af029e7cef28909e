/**
 * The SDK captures a stack trace for every promise workflow code creates (its promise hook
 * keeps them for the stack-trace query); on this 2-core bench that was most of the engine's
 * workflow CPU beyond a hand-written workflow's. The interpreter flags of CURRENT_INTERPRETER
 * (src/workflows/contracts/execution.ts) each cut promises a node. This counts the promises
 * created in workflow context while one recorded 20-way fan-out replays, for the history
 * recorded before the flags and under each of them in turn: the count must fall with every flag,
 * and the current interpreter's must stay within its budget. A count, not a time: the same code
 * and history create the same promises on any machine.
 */
import v8 from 'node:v8';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime } from '@temporalio/worker';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { quietReplayRuntime, readHistoryFile, replayHistories } from '../../src/replay/replay';

const HISTORIES = fileURLToPath(new URL('../histories', import.meta.url));
/** Oldest first: before the flags, then sharedNodeScope + wakeOnSettle, then loopInNodeScope, then roundsOnSettle too. */
const FAN_OUT_20 = ['fan-out-20.json', 'wake-on-settle-fan-out-20.json', 'loop-in-node-scope-fan-out-20.json', 'rounds-on-settle-fan-out-20.json'];
const ACTIVITY_NODES = 20;
/** Promises a node the current interpreter may create on this graph (6.6 when this was written). */
const BUDGET_PER_NODE = 7;

/** Whether `promise` was created inside a workflow's sandbox (its realm has the SDK's activator). */
function inWorkflowContext(promise: Promise<unknown>): boolean {
  try {
    const realmFunction = promise.constructor.constructor as FunctionConstructor;
    return realmFunction('return globalThis.__TEMPORAL_ACTIVATOR__')() !== undefined;
  } catch {
    return false;
  }
}

async function promisesWhileReplaying(file: string): Promise<number> {
  const history = await readHistoryFile(join(HISTORIES, file));
  let count = 0;
  const stop = v8.promiseHooks.createHook({
    init(promise) {
      if (inWorkflowContext(promise)) count++;
    },
  });
  try {
    const [verdict] = await replayHistories([history], { workflowBundle: { codePath: inject('workflowBundlePath') } });
    expect(verdict.problem, `${file} replays`).toBeUndefined();
  } finally {
    stop();
  }
  return count;
}

const counts = new Map<string, number>();

beforeAll(async () => {
  Runtime.install(quietReplayRuntime());
  // Replayed in the test's own thread (a replay worker runs workflows in the calling thread), one at a time.
  for (const file of FAN_OUT_20) counts.set(file, await promisesWhileReplaying(file));
});

describe('promises the interpreter creates a node', () => {
  test('every interpreter flag creates fewer promises on the same graph', () => {
    const series = FAN_OUT_20.map((file) => counts.get(file)!);
    for (const count of series) expect(count).toBeGreaterThan(ACTIVITY_NODES * 2); // the SDK's own two an activity, at least
    for (let i = 1; i < series.length; i++) expect(series[i], `${FAN_OUT_20[i]} beside ${FAN_OUT_20[i - 1]}`).toBeLessThan(series[i - 1]);
  });

  test(`the current interpreter stays within ${BUDGET_PER_NODE} promises a node`, () => {
    const current = counts.get(FAN_OUT_20.at(-1)!)!;
    expect(current / ACTIVITY_NODES).toBeLessThanOrEqual(BUDGET_PER_NODE);
  });
});
