/**
 * Hand-written Temporal workflows doing the same work as the benchmark graphs, with none of
 * the engine's interpretation: the yardstick the engine is measured against (bench/run.ts).
 *
 * Deterministic workflow code: only `import type` from activities. They call the engine's own
 * `mock` activity (which writes its attempt and step rows to Postgres) with the options the
 * engine uses by default (DESIGN §4: startToClose 5m; 3 attempts, 1s initial, x2, 1m max).
 *
 * `mirror: true` (the baseline the ratios use) also keeps the execution row the way the
 * engine does: one `mirrorFlush` local activity (the engine's own) marks it running before the
 * first node, and one marks it completed with its output at the end. `mirror: false` is the
 * bare lower bound: the driver inserted the row beforehand, outside the timed region.
 */
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../src/activities';
import type { NodeActivityInput, NodeActivityResult } from '../src/workflows/contracts/node-activity';
import type { Json } from '../src/workflows/graph/types';
import { chainNodeIds, fanoutBranchIds, LOCAL_START_TO_CLOSE } from './shapes';

type Activities = ReturnType<typeof createActivities>;

const { mock } = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

// The local chain's nodes: the same retry policy, the startToClose of the engine's local chain.
const { mock: localMock } = proxyLocalActivities<Activities>({
  startToCloseTimeout: LOCAL_START_TO_CLOSE,
  retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

// The same options as the engine's mirror flush (src/workflows/graph-workflow.ts).
const { mirrorFlush } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

export interface BaselineArgs {
  executionId: string;
  organizationId: string;
  graphId: string;
  input: Json;
  /** Write the execution row (running, then completed) like the engine does. */
  mirror: boolean;
  /** The chain's node ids (chains of 1, 10 and 50 nodes); the 10-node chain's when absent. */
  nodeIds?: string[];
}

export function runMock(args: BaselineArgs, nodeId: string, input: Json, local = false, config: Record<string, Json> = {}): Promise<NodeActivityResult> {
  const activityInput: NodeActivityInput = { executionId: args.executionId, organizationId: args.organizationId, nodeId, nodeType: 'mock', config, input };
  return local ? localMock(activityInput) : mock(activityInput);
}

export async function withExecutionRow(args: BaselineArgs, body: () => Promise<Json>): Promise<Json> {
  if (!args.mirror) return body();
  const info = workflowInfo();
  const base = { graphId: args.graphId, graphVersion: 1, workflowId: info.workflowId, runId: info.runId };
  const batch = { executionId: args.executionId, organizationId: args.organizationId, steps: [] };
  await mirrorFlush({ ...batch, execution: { ...base, status: 'running', input: args.input, startedAt: new Date().toISOString() } });
  const output = await body();
  await mirrorFlush({ ...batch, execution: { ...base, status: 'completed', output, error: null, finishedAt: new Date().toISOString() } });
  return output;
}

/** n01 -> n02 -> ... (10 nodes unless `nodeIds` says otherwise), each node's output the next one's input. */
export async function baselineChain(args: BaselineArgs): Promise<Json> {
  return withExecutionRow(args, async () => {
    let value = args.input;
    for (const nodeId of args.nodeIds ?? chainNodeIds()) value = (await runMock(args, nodeId, value)).output;
    return value;
  });
}

/** The same chain as local activities (the bench starts it with eager start): the yardstick of local nodes. */
export async function baselineLocalChain(args: BaselineArgs): Promise<Json> {
  return withExecutionRow(args, async () => {
    let value = args.input;
    for (const nodeId of chainNodeIds()) value = (await runMock(args, nodeId, value, true)).output;
    return value;
  });
}

/** start -> b01..b20 in parallel -> end, whose input is keyed by branch id (as the engine's join). */
export async function baselineFanout(args: BaselineArgs): Promise<Json> {
  return withExecutionRow(args, async () => {
    const first = await runMock(args, 'start', args.input);
    const branches = fanoutBranchIds();
    const results = await Promise.all(branches.map((nodeId) => runMock(args, nodeId, first.output)));
    const joined: Record<string, Json> = {};
    branches.forEach((nodeId, i) => (joined[nodeId] = results[i].output));
    return (await runMock(args, 'end', joined)).output;
  });
}
