/**
 * FIFO concurrency slots for one key in one organization (`settings.concurrency`). Requests
 * are granted in the order they reach this workflow, at most `max` at once; Temporal keeps
 * the queue durable across workers and server restarts. An execution releases its slot on
 * every way it ends (its own workflow code does, in a non-cancellable scope); a release of a
 * queued execution removes it from the queue. The workflow continues as new before its
 * history grows large, carrying the queue.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { acquireSlotSignal, queueStatsQuery, releaseSlotSignal, slotGrantedSignal, type SlotsArgs, type SlotsState } from './contracts/slots';

const RELEASED_MEMORY = 1000;
const CONTINUE_AFTER_EVENTS = 2000;
const IDLE_CLOSE_MS = 60 * 60_000;
const MAX_FROM_FIRST_ASK = 'slots-max-from-first-ask';

export async function concurrencySlots(args: SlotsArgs): Promise<void> {
  const state: SlotsState = args.state ?? { max: 1, active: [], queue: [], released: [] };
  const released = new Set(state.released);
  const grants: { executionId: string; grantedAt: string }[] = [];

  setHandler(acquireSlotSignal, (request) => {
    const known = released.has(request.executionId) || state.active.some((a) => a.executionId === request.executionId) || state.queue.some((q) => q.executionId === request.executionId);
    // Each execution asks twice (its starter, then its own workflow), and the second ask may
    // arrive late. Only a first ask sets max: a late repeat from an older execution must not
    // undo a max that a newer graph version raised. Older histories set it on every ask.
    if (!known || !patched(MAX_FROM_FIRST_ASK)) state.max = request.max;
    if (!known) state.queue.push(request);
  });
  setHandler(releaseSlotSignal, ({ executionId }) => {
    state.active = state.active.filter((a) => a.executionId !== executionId);
    state.queue = state.queue.filter((q) => q.executionId !== executionId);
    released.add(executionId);
    if (released.size > RELEASED_MEMORY) released.delete(released.values().next().value!);
  });
  setHandler(queueStatsQuery, () => ({
    ref: args.key,
    maxConcurrent: state.max,
    active: state.active.length,
    queued: state.queue.length,
    oldestQueuedAt: state.queue[0]?.requestedAt ?? null,
  }));

  for (;;) {
    const canGrant = (): boolean => state.active.length < state.max && state.queue.length > 0;
    const idle = !(await condition(() => canGrant() || workflowInfo().historyLength > CONTINUE_AFTER_EVENTS, IDLE_CLOSE_MS));
    if (idle && state.active.length === 0 && state.queue.length === 0) return; // nothing held, nothing waiting: close
    while (canGrant()) {
      const next = state.queue.shift()!;
      const grant = { executionId: next.executionId, grantedAt: new Date().toISOString() };
      state.active.push(grant);
      grants.push(grant);
    }
    // Tell the granted executions, in order. One that is gone (terminated) never releases:
    // its slot is freed here instead.
    while (grants.length > 0) {
      const { executionId, grantedAt } = grants.shift()!;
      try {
        await getExternalWorkflowHandle(executionId).signal(slotGrantedSignal, { grantedAt });
      } catch {
        state.active = state.active.filter((a) => a.executionId !== executionId);
      }
    }
    if (workflowInfo().historyLength > CONTINUE_AFTER_EVENTS) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof concurrencySlots>({ ...args, state: { ...state, released: [...released] } });
    }
  }
}
