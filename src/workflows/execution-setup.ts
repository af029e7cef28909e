/**
 * Everything an execution's run is made of, built from its arguments (and, after
 * continue-as-new, from what the previous run carried), and the opening of a first run: the
 * mirror's first rows, the deadline timer, the nodes reused from a dead letter, and the wait
 * for a concurrency slot. The order of the Temporal commands here is fixed by recorded
 * histories: change it only behind `patched()`.
 */
import { ApplicationFailure, isCancellation, workflowInfo } from '@temporalio/workflow';
import { restoredMeta } from './carried-meta';
import { ConcurrencySlot } from './concurrency-slot';
import type { GraphExecutionArgs, MapCarried } from './contracts/execution';
import type { ExecutionUpdate } from './contracts/mirror';
import { Deadline } from './deadline';
import { collectExpressions, evaluateWhen, type ExpressionVariables } from './graph/expressions';
import { NodesLookup } from './graph/nodes-lookup';
import { expandSnapshot } from './graph/plan-snapshot';
import { GraphPlan } from './graph/planner';
import { nodesVariable, nodeVariable } from './graph/plan-views';
import { subgraphReferences } from './graph/node-types';
import { RunState } from './graph/run-state';
import type { ExecutionContext, GraphDocument, Json } from './graph/types';
import { validateGraphOnce } from './graph/validated-once';
import { resolveSubgraphVersions } from './local-activities';
import { writeMirror } from './mirror-write';
import { MirrorChannel } from './mirror-channel';
import { temporalEffects, type Ids, type NodeEffects } from './node-runner';
import { awaitedSignals, SignalInbox } from './signal-inbox';
import type { SubgraphParent } from './subgraph-runner';

export interface Execution {
  args: GraphExecutionArgs;
  ids: Ids;
  executionBase: Pick<ExecutionUpdate, 'graphId' | 'graphVersion' | 'workflowId' | 'runId'>;
  graph: GraphDocument;
  plan: GraphPlan;
  run: RunState;
  startedAt: string;
  deadline: Deadline;
  inbox: SignalInbox;
  effects: NodeEffects;
  slot: ConcurrencySlot;
  mirror: MirrorChannel;
  /** `settings.concurrency` with the key the client evaluated, when the execution is limited. */
  concurrency: { key: string; max: number } | undefined;
  /** Node id → index in the document (for JSON paths). */
  nodeIndex: Map<string, number>;
  /** Nodes whose config holds expressions. */
  templated: Set<string>;
  /** Graph id → version pinned when the execution started, for subgraphs named without a version (carried across runs). */
  subgraphVersions: Record<string, number>;
  /** What the child executions of its `subgraph` nodes inherit. */
  subgraphParent: SubgraphParent;
  variables(input: Json): ExpressionVariables;
  now(): string;
  /** Maps paused for continue-as-new (carried in, or paused in this run), by node id. */
  pausedMaps: Map<string, MapCarried>;
}

/** The execution's parts; a graph that fails validation ends the execution as InvalidGraph. */
export async function openExecution(args: GraphExecutionArgs): Promise<Execution> {
  const info = workflowInfo();
  const now = (): string => new Date().toISOString();
  const ids = { executionId: args.executionId, organizationId: args.organizationId };
  const executionBase = { graphId: args.graph.id, graphVersion: args.graph.version, workflowId: info.workflowId, runId: info.runId };
  const validation = validateGraphOnce(args.graph);
  if (!validation.ok) {
    // Entry points validate first; this guard keeps a hand-started workflow from running junk.
    const message = `graph is invalid: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    await writeMirror({ ...ids, steps: [], execution: { ...executionBase, status: 'failed', input: args.input, error: { type: 'InvalidGraph', message }, startedAt: now(), finishedAt: now() } });
    throw ApplicationFailure.nonRetryable(message, 'InvalidGraph');
  }
  const graph = validation.graph;
  const carried = args.carried;
  const plan = carried ? GraphPlan.restore(graph, expandSnapshot(graph, carried.plan)) : new GraphPlan(graph);
  const startedAt = carried?.startedAt ?? now();
  const context: ExecutionContext = { id: args.executionId, input: args.input, organizationId: args.organizationId, graphId: graph.id, graphVersion: graph.version };
  const nodes = new NodesLookup(
    (id) => nodeVariable(plan, id),
    () => nodesVariable(plan),
  );
  const variables = (input: Json): ExpressionVariables => ({ input, execution: context, nodes });
  const run = new RunState(plan, (edge, output) => evaluateWhen(graph, edge, { ...variables(output), output }), now, carried && restoredMeta(plan, carried));
  const inbox = new SignalInbox(carried?.signals);
  inbox.listen(awaitedSignals(graph));
  const concurrency = graph.settings?.concurrency && args.concurrencyKey !== undefined ? { key: args.concurrencyKey, max: graph.settings.concurrency.max } : undefined;
  const deadline = new Deadline(args, graph, startedAt, carried);
  const subgraphVersions: Record<string, number> = { ...carried?.subgraphVersions };
  return {
    args,
    ids,
    executionBase,
    graph,
    plan,
    run,
    startedAt,
    deadline,
    inbox,
    effects: temporalEffects(inbox),
    slot: new ConcurrencySlot(ids, concurrency, carried?.holdsSlot ?? false, args.slotToken),
    mirror: new MirrorChannel(ids, run, now),
    concurrency,
    nodeIndex: new Map(graph.nodes.map((node, index) => [node.id, index])),
    templated: new Set(graph.nodes.filter((node) => collectExpressions(node.config, '$').length > 0).map((node) => node.id)),
    variables,
    now,
    subgraphVersions,
    subgraphParent: {
      ...ids,
      depth: args.subgraphDepth ?? 0,
      deadlineAt: deadline.at,
      pinnedVersion: (graphId) => (Object.prototype.hasOwnProperty.call(subgraphVersions, graphId) ? subgraphVersions[graphId] : undefined),
    },
    pausedMaps: new Map(Object.entries(carried?.maps ?? {})),
  };
}

/**
 * Pins the latest version of every graph a `subgraph` node names without a version, once,
 * when the execution starts: publishing a newer version later changes nothing for it. Graphs
 * without subgraph nodes (every history recorded before them) issue no command here.
 */
async function pinSubgraphVersions(ex: Execution): Promise<void> {
  const unpinned = [...new Set(subgraphReferences(ex.graph).filter((ref) => ref.version === undefined).map((ref) => ref.graphId))];
  if (unpinned.length === 0) return;
  Object.assign(ex.subgraphVersions, await resolveSubgraphVersions(ex.ids.organizationId, unpinned));
}

/**
 * The client asks for the slot before the workflow's first task (FIFO by submission), so a
 * free slot may be granted before the workflow wrote `queued_at` (its own start): then the
 * grant is also when it was queued, and the mirror keeps queued_at <= started_at (the upsert
 * takes the earlier queued_at).
 */
function grantedBeforeQueued(grantedAt: string, queuedAt: string): Pick<ExecutionUpdate, 'queuedAt'> {
  return Date.parse(grantedAt) < Date.parse(queuedAt) ? { queuedAt: grantedAt } : {};
}

/**
 * Opens the run before any node starts. Returns the cancellation when the execution was
 * cancelled while it waited for its slot (nothing ran; the run state is stopped).
 */
export async function beginRun(ex: Execution): Promise<unknown> {
  const { args, run, plan, mirror, deadline, slot, executionBase, startedAt } = ex;
  if (!args.carried) {
    const starting: ExecutionUpdate = ex.concurrency
      ? { ...executionBase, status: 'queued', input: args.input, queuedAt: startedAt, deadlineAt: deadline.at, retryOf: args.retryOf, concurrencyKey: ex.concurrency.key, scheduleId: args.scheduleId, parentExecutionId: args.parentExecutionId }
      : { ...executionBase, status: 'running', input: args.input, startedAt, deadlineAt: deadline.at, retryOf: args.retryOf, scheduleId: args.scheduleId, parentExecutionId: args.parentExecutionId };
    await mirror.start(starting);
    await pinSubgraphVersions(ex);
  } else {
    mirror.buffer.seed(plan); // a continued run's plan is already mirrored
  }
  deadline.start();
  // Resume from a dead letter: what the original completed is recorded as reused and not run.
  for (const seed of args.carried ? [] : (args.seed ?? [])) {
    if (ex.nodeIndex.has(seed.nodeId) && plan.state(seed.nodeId).status === 'pending') run.reuse(seed.nodeId, seed.output);
  }
  if (!slot.mustWait) return undefined;
  // Queued until the key's slots workflow grants a slot; cancelled while queued, nothing runs.
  try {
    if (await slot.acquire(startedAt, () => deadline.passed)) {
      const grantedAt = slot.grantTime ?? ex.now();
      await writeMirror({ ...ex.ids, steps: [], execution: { ...executionBase, status: 'running', startedAt: grantedAt, ...grantedBeforeQueued(grantedAt, startedAt) } });
    }
    return undefined;
  } catch (error) {
    if (!isCancellation(error)) throw error;
    run.cancel();
    mirror.observe();
    return error;
  }
}
