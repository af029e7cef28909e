/**
 * A `map` node (DESIGN §11): its item node once per item, at most `maxConcurrency` at a time,
 * each item one activity with the item node's retries and timeouts and a step
 * `<nodeId>[<index>]` of its own. Results come back in item order. The map step's progress
 * and the items the activities could not record themselves go to the mirror through its
 * buffer, riding along with the next item's activity: a map costs no events beyond its items'.
 * Subgraph items have no activity to ride on; their map flushes its progress once a second.
 *
 * A long map pauses when the history grows large (`shouldPause`): it starts no more items,
 * lets those in flight finish and hands back how far it got; the execution continues as new
 * and the map goes on from there (`resumeFrom`).
 */
import { CancellationScope, condition, patched } from '@temporalio/workflow';
import type { MapCarried } from './contracts/execution';
import type { NodeActivityInput } from './contracts/node-activity';
import type { MapProgress, StepUpdate } from './contracts/mirror';
import { renderTemplate, type ExpressionVariables } from './graph/expressions';
import { nodeTypeSpec } from './graph/node-types';
import { DEFAULT_MAP_CONCURRENCY, itemStepId, type MapConfig } from './graph/node-types/map';
import { workflowNodeError, type NodeOutcome } from './graph/run-state';
import type { GraphNode, Json, NodeError } from './graph/types';
import { activityOptions, runActivity, type Ids, type NodeEffects } from './node-runner';
import { runSubgraph, type SubgraphParent } from './subgraph-runner';

export type { MapCarried };

/** The patch under which a map of subgraph items flushes its progress by itself. */
const CHILD_PROGRESS_PATCH = 'map-child-progress';
const CHILD_PROGRESS_EVERY_MS = 1000;

export type MapOutcome = NodeOutcome | { paused: MapCarried };

export interface MapRun {
  node: GraphNode;
  /** Its index in the document, for the JSON paths of expression errors. */
  nodeIndex: number;
  config: MapConfig;
  ids: Ids;
  effects: NodeEffects;
  /** The variables the map node's own config saw; items add `item` and `index`. */
  variables: ExpressionVariables;
  mirror: { report(update: StepUpdate): void; takeForActivity(): StepUpdate[]; flushUrgentInBackground(): void };
  /** The execution a subgraph item runs in (its child is `<executionId>/<nodeId>[<index>]`). */
  subgraphParent: SubgraphParent;
  /** True once the history is large: the map then pauses. */
  shouldPause(): boolean;
  resumeFrom?: MapCarried;
}

interface ItemEnd {
  index: number;
  outcome: NodeOutcome;
}

/** Starts the map in its own cancellation scope, like any node that is not inline. */
export function startMapNode(run: MapRun): { scope: CancellationScope; outcome: Promise<MapOutcome> } {
  const scope = new CancellationScope();
  return { scope, outcome: scope.run(() => runMap(run)) };
}

async function runMap(run: MapRun): Promise<MapOutcome> {
  const { node, config } = run;
  const items = config.items as Json[];
  const limit = config.maxConcurrency ?? DEFAULT_MAP_CONCURRENCY;
  const continueOnFailure = config.onItemFailure === 'continue';
  const results: Json[] = [...(run.resumeFrom?.results ?? [])];
  const progress: MapProgress = { total: items.length, completed: run.resumeFrom ? run.resumeFrom.next - run.resumeFrom.failed : 0, failed: run.resumeFrom?.failed ?? 0 };
  const ended: ItemEnd[] = [];
  let next = run.resumeFrom?.next ?? 0;
  const inFlight = new Set<number>();
  // The items' own scope: a failing item cancels the others without cancelling the map.
  const itemsScope = new CancellationScope();
  let failure: NodeError | undefined;
  let paused = false;
  const reportProgress = (): void => run.mirror.report({ nodeId: node.id, nodeType: node.type, status: 'running', progress: { ...progress }, final: false });
  reportProgress();
  // Subgraph items start no activity for the progress to ride along with: it is flushed by
  // itself (a mirrorFlush local activity), at most once a second of workflow time, so that
  // `wf run` and the API see the map advance. Behind a patch: older runs recorded no such flush.
  const childItems = nodeTypeSpec(config.node.type)?.runtime === 'child' && patched(CHILD_PROGRESS_PATCH);
  let flushedAt = 0;
  const flushChildProgress = (): void => {
    if (!childItems || Date.now() - flushedAt < CHILD_PROGRESS_EVERY_MS) return;
    flushedAt = Date.now();
    run.mirror.flushUrgentInBackground();
  };

  const launch = (index: number): void => {
    inFlight.add(index);
    itemsScope
      .run(() => runItem(run, items[index], index))
      .then(
        (outcome) => ended.push({ index, outcome }),
        // Cancelled: the map failed or is being cancelled; its step is reported below.
        () => undefined,
      );
  };
  /** Items still running when the map stops are cancelled, and shown so. */
  const cancelInFlight = (): void => {
    itemsScope.cancel();
    for (const index of inFlight) run.mirror.report({ nodeId: itemStepId(node.id, index), nodeType: run.config.node.type, status: 'cancelled', final: true });
    inFlight.clear();
  };

  try {
    while (!failure) {
      paused = paused || (next < items.length && run.shouldPause());
      while (!paused && inFlight.size < limit && next < items.length) launch(next++);
      if (inFlight.size === 0) break;
      await condition(() => ended.length > 0);
      settle();
      reportProgress();
      flushChildProgress();
    }
  } catch (error) {
    cancelInFlight();
    throw error;
  }
  if (failure) {
    cancelInFlight();
    return { ok: false, error: { nodeId: node.id, type: failure.type, message: `item ${failure.nodeId.slice(node.id.length)} failed: ${failure.message}`, attempts: failure.attempts } };
  }
  if (paused && next < items.length) return { paused: { next, results, failed: progress.failed } };
  return { ok: true, output: results, attempts: 0, mirrored: false };

  function settle(): void {
    while (ended.length > 0) {
      const { index, outcome } = ended.shift()!;
      if (!inFlight.delete(index)) continue;
      if (outcome.ok) {
        results[index] = outcome.output;
        progress.completed++;
      } else {
        progress.failed++;
        results[index] = { error: { ...outcome.error } };
        if (!continueOnFailure && !failure) failure = outcome.error;
      }
    }
  }
}

/** One item: its config rendered with `item` and `index`, checked, run as an activity; its step reported when the activity could not. */
async function runItem(run: MapRun, item: Json, index: number): Promise<NodeOutcome> {
  const itemNode = run.config.node;
  const stepId = itemStepId(run.node.id, index);
  const spec = nodeTypeSpec(itemNode.type);
  const asNode: GraphNode = { id: stepId, type: itemNode.type, config: itemNode.config, retry: itemNode.retry, timeout: itemNode.timeout };
  const report = (outcome: NodeOutcome): NodeOutcome => {
    const finishedAt = new Date().toISOString();
    if (!outcome.ok) run.mirror.report({ nodeId: stepId, nodeType: itemNode.type, status: 'failed', attempts: outcome.error.attempts, finishedAt, error: outcome.error, final: true });
    else if (!outcome.mirrored) run.mirror.report({ nodeId: stepId, nodeType: itemNode.type, status: 'completed', attempts: outcome.attempts, finishedAt, output: { value: outcome.output }, error: null, final: true });
    return outcome;
  };
  if (spec?.runtime !== 'activity' && spec?.runtime !== 'child') return report({ ok: false, error: workflowNodeError(stepId, 'InvalidConfig', `item node type "${itemNode.type}" is neither an activity type nor a subgraph`) });
  let config: Json;
  try {
    config = renderTemplate(itemNode.config ?? {}, { ...run.variables, item, index }, `$.nodes[${run.nodeIndex}].config.node.config`, 'item');
  } catch (error) {
    return report({ ok: false, error: workflowNodeError(stepId, 'ExpressionError', error instanceof Error ? error.message : String(error)) });
  }
  const checked = spec.renderedSchema.safeParse(config);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; ');
    return report({ ok: false, error: workflowNodeError(stepId, 'InvalidConfig', `config of item ${index} of node "${run.node.id}" is invalid after evaluating expressions: ${problems}`) });
  }
  if (spec.runtime === 'child') {
    // A child execution has its own mirror rows; the item's step is the workflow's to write.
    run.mirror.report({ nodeId: stepId, nodeType: itemNode.type, status: 'running', startedAt: new Date().toISOString(), final: false });
    return report(await runSubgraph(asNode, spec.child(checked.data, item), run.subgraphParent, run.effects));
  }
  const mirror = run.mirror.takeForActivity();
  const input: NodeActivityInput = { ...run.ids, nodeId: stepId, nodeType: itemNode.type, config, input: item, ...(mirror.length > 0 ? { mirror } : {}) };
  return report(await runActivity(asNode, itemNode.type, input, activityOptions(asNode), run.effects));
}
