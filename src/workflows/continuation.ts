/**
 * Long or wide graphs: when history grows large the loop starts nothing new, lets what runs
 * finish, and the execution continues as new with the state below. Activities cannot cross
 * runs, so nothing is running then; outputs nobody will read again are dropped, so the
 * carried state stays bounded by what is still needed.
 */
import { CancellationScope, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { carriedAttempts } from './carried-meta';
import type { CarriedState, GraphExecutionArgs } from './contracts/execution';
import type { Execution } from './execution-setup';
import { compactSnapshot } from './graph/plan-snapshot';
import { referencedNodeOutputs } from './graph/references';

/** Temporal suggests it, or the test threshold (`continueAsNewAtEvents`) is reached. */
export function historyIsLarge(args: GraphExecutionArgs): boolean {
  const current = workflowInfo();
  return current.continueAsNewSuggested || (args.continueAsNewAtEvents !== undefined && current.historyLength >= args.continueAsNewAtEvents);
}

/** What the next run needs: the plan (outputs still read later only), attempts, deadline, signals, slot. */
export function carriedState({ args, graph, run, deadline, inbox, slot, startedAt, subgraphVersions, pausedMaps }: Execution): CarriedState {
  const referenced = referencedNodeOutputs(graph);
  const sinks = new Set(run.plan.sinks());
  const keepOutput = (id: string): boolean => referenced === 'all' || referenced.has(id) || sinks.has(id);
  return {
    plan: compactSnapshot(graph, run.plan.snapshot(keepOutput)),
    attempts: carriedAttempts(run.meta),
    startedAt,
    deadlineAt: deadline.at,
    signals: inbox.pending(),
    holdsSlot: slot.holds,
    continuations: (args.carried?.continuations ?? 0) + 1,
    ...(Object.keys(subgraphVersions).length > 0 ? { subgraphVersions } : {}),
    ...(pausedMaps.size > 0 ? { maps: Object.fromEntries(pausedMaps) } : {}),
  };
}

/** Flushes what the mirror has not yet heard, then continues as new (never returns). */
export async function continueWithCarriedState(state: Execution): Promise<never> {
  await CancellationScope.nonCancellable(() => state.mirror.drain());
  return continueAsNew<(args: GraphExecutionArgs) => Promise<unknown>>({ ...state.args, carried: carriedState(state) });
}
