/**
 * The graph interpreter: one deterministic workflow per execution. A short loop: ask the
 * planner what is ready, run inline nodes at once, launch timers, signals and activities
 * (one per I/O node), await the first to settle, apply its outcome, repeat. The rules live in
 * graph/ (planner, run-state, outcome); the slot, the deadline, continue-as-new, the mirror
 * and the end of the execution are modules of their own. Everything durable is Temporal's.
 */
import { isCancellation, type CancellationScope } from '@temporalio/workflow';
import { continueWithCarriedState, historyIsLarge } from './continuation';
import type { GraphExecutionArgs, GraphExecutionResult } from './contracts/execution';
import { beginRun, openExecution } from './execution-setup';
import { finishExecution } from './finish';
import { renderNodeConfig } from './graph/node-config';
import { nodeTypeSpec, runtimeOf } from './graph/node-types';
import { workflowNodeError } from './graph/run-state';
import type { Json } from './graph/types';
import type { StepUpdate } from './contracts/mirror';
import { startMapNode, type MapOutcome } from './map-runner';
import type { MapConfig } from './graph/node-types/map';
import { LaunchBudget } from './launch-budget';
import { openLoopWait } from './loop-wait';
import { runNode, runNodeAsRecorded, settleNode } from './node-runner';
import { NodeScopes } from './node-scopes';
import { withExecutionId } from './scheduled-run';

const DEFAULT_MAX_PARALLELISM = 16;

interface Launch {
  nodeId: string;
  config: Json;
  input: Json;
}

export async function graphExecution(startArgs: GraphExecutionArgs): Promise<GraphExecutionResult> {
  const args = withExecutionId(startArgs);
  const ex = await openExecution(args);
  const { graph, plan, run, deadline, mirror, ids, effects, variables } = ex;
  const running = new Map<string, CancellationScope>();
  const settled: { nodeId: string; outcome: MapOutcome }[] = [];
  const maxParallelism = graph.settings?.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
  const budget = new LaunchBudget();
  /** The cancellation that ended the execution, rethrown at the end so Temporal shows it Canceled. */
  let cancellation: unknown;

  const cancelNodes = (nodeIds: string[]): void => {
    for (const id of nodeIds) {
      running.get(id)?.cancel();
      running.delete(id);
    }
  };
  const cancelled = (error: unknown): void => {
    cancellation = error;
    cancelNodes(run.cancel());
    mirror.observe();
  };
  // In the root scope, before the first node: it watches the root scope for cancellation.
  const wait = openLoopWait(args, cancelled);
  const startRun = args.wakeOnSettle === true ? runNode : runNodeAsRecorded;
  deadline.onPassed = () => wait.wake();
  const stopAtDeadline = (): void => {
    cancelNodes(run.deadlinePassed(deadline.written, deadline.at!));
    mirror.observe();
  };
  /** Starts a ready node: inline nodes finish at once; the others are returned to launch. */
  const startNode = (nodeId: string): Launch | undefined => {
    const node = plan.node(nodeId);
    const spec = nodeTypeSpec(node.type)!;
    run.start(nodeId, spec.runtime);
    const input = plan.input(nodeId, args.input);
    const rendered = renderNodeConfig(node, ex.nodeIndex.get(nodeId)!, spec, ex.templated.has(nodeId), () => variables(input));
    if (!rendered.ok) {
      cancelNodes(run.fail(nodeId, rendered.error));
      return undefined;
    }
    if (spec.runtime !== 'inline') return { nodeId, config: rendered.config, input };
    cancelNodes(run.complete(nodeId, spec.run(rendered.config, input)));
    return undefined;
  };
  const launch = ({ nodeId, config, input }: Launch, carriesMirror: boolean): void => {
    if (plan.state(nodeId).status !== 'running') return; // cancelled before launch
    const node = plan.node(nodeId);
    const spec = nodeTypeSpec(node.type)!;
    /** The mirror's updates this node's activity carries (the round's carrier only). */
    let carried: StepUpdate[] | undefined;
    // Where the node's end goes (a map's may also be a pause): settleNode or the outcome's `then`.
    const ends = {
      outcome: (result: MapOutcome) => {
        // The activity wrote what it carried: the final batch need not send it again.
        if (carried && args.finalSkipsWritten === true && 'ok' in result && result.ok && result.carriedWritten) mirror.carriedWritten(carried);
        settled.push({ nodeId, outcome: result });
        wait.wake();
      },
      failed: (error: unknown) => {
        // A cancelled node was already marked cancelled; anything else is a bug, surfaced as
        // a node failure rather than a stuck workflow task.
        if (!isCancellation(error)) {
          settled.push({ nodeId, outcome: { ok: false, error: workflowNodeError(nodeId, 'InternalError', String(error)) } });
          wait.wake();
        }
      },
    };
    const mirrorUpdates = (): StepUpdate[] | undefined => {
      carried = carriesMirror ? mirror.takeForActivity() : undefined;
      return carried;
    };
    if (spec.runtime !== 'map' && scopes.loopInside) {
      running.set(nodeId, scopes.startInLoopScope(() => settleNode(node, spec, config, input, ids, effects, ends, mirrorUpdates(), ex.subgraphParent)));
      return;
    }
    const { scope, outcome } = spec.runtime === 'map' ? startMap(nodeId, config, input) : scopes.start(() => startRun(node, spec, config, input, ids, effects, mirrorUpdates(), ex.subgraphParent));
    running.set(nodeId, scope);
    outcome.then(ends.outcome, ends.failed);
  };

  const startMap = (nodeId: string, config: Json, input: Json) => {
    const resumeFrom = ex.pausedMaps.get(nodeId);
    ex.pausedMaps.delete(nodeId);
    return startMapNode({
      node: plan.node(nodeId),
      nodeIndex: ex.nodeIndex.get(nodeId)!,
      config: config as MapConfig,
      ids,
      effects,
      variables: variables(input),
      mirror,
      subgraphParent: ex.subgraphParent,
      shouldPause: () => historyIsLarge(args),
      resumeFrom,
    });
  };

  cancellation = await beginRun(ex);
  // Before the run's first node (`launch` uses it).
  const scopes = NodeScopes.open(args);
  let draining = false;
  /** A round up to its wait: starts what can start; false once the loop is over. */
  const startRound = (): boolean => {
    if (run.cancelled) return false;
    if (deadline.passed && !run.failure) {
      stopAtDeadline();
      return false;
    }
    draining = draining || historyIsLarge(args) || budget.full(running.size);
    // Start all that can start. Inline nodes finish at once and may make more ready, so repeat
    // until nothing changes; timers, signals and activities count against maxParallelism and
    // the launch budget (the rest start in a later workflow task, as running ones settle).
    const launches: Launch[] = [];
    // A kind of node refused once stays refused this round (in flight only grows), so the
    // rest of a wide graph's ready nodes are passed over without asking again.
    const refused = new Set<string>();
    for (let progressed = true; progressed && run.going && !draining; ) {
      progressed = false;
      for (const nodeId of plan.ready()) {
        if (!run.going) break;
        const runtime = runtimeOf(plan.node(nodeId).type);
        if (runtime !== 'inline') {
          if (refused.has(runtime)) continue;
          if (running.size + launches.length >= maxParallelism || !budget.allows(runtime, running.size + launches.length)) {
            refused.add(runtime);
            continue;
          }
        }
        const pending = startNode(nodeId);
        if (pending) {
          launches.push(pending);
          budget.started(runtime);
        }
        progressed = true;
      }
    }
    mirror.observe();
    // The round's mirror updates ride along with the first activity it starts.
    const carrier = launches.findIndex((item) => runtimeOf(plan.node(item.nodeId).type) === 'activity' && plan.state(item.nodeId).status === 'running');
    scopes.round(() => launches.forEach((item, index) => launch(item, index === carrier)));
    if (running.size === 0) return false;
    // Outside the nodes' scope: a flush must outlive their cancellation.
    if (mirror.backgroundFlushDue) scopes.outside(() => mirror.flushUrgentInBackground());
    return true;
  };
  /** What the loop waits for: a node settled (its outcome is queued) or the deadline passed. */
  const woken = (): boolean => settled.length > 0 || deadline.passed;
  /** Applies what settled; false once the loop is over. */
  const takeSettled = (): boolean => {
    while (settled.length > 0) {
      const { nodeId, outcome } = settled.shift()!;
      if (plan.state(nodeId).status === 'running') running.delete(nodeId);
      if ('paused' in outcome) {
        // A map paused for continue-as-new: it goes on from here in the next run.
        ex.pausedMaps.set(nodeId, outcome.paused);
        run.pause(nodeId);
        draining = true;
        continue;
      }
      cancelNodes(run.settle(nodeId, outcome));
    }
    if (deadline.passed && !run.failure && running.size > 0) {
      stopAtDeadline();
      return false;
    }
    return true;
  };
  // Inside the nodes' shared scope when the execution asked for it (node-scopes.ts).
  await scopes.loop(() => wait.drive({ start: startRound, woken, take: takeSettled }));

  if (draining && run.going && !plan.settled(0)) {
    return continueWithCarriedState(ex);
  }
  return finishExecution({ ...ex, cancellation });
}
