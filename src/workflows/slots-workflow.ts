/**
 * FIFO concurrency slots for one key in one organization (`settings.concurrency`). Requests
 * are granted in the order they reach this workflow, at most `max` at once; Temporal keeps
 * the queue durable across workers and server restarts. An execution releases its slot on
 * every way it ends (its own workflow code does, in a non-cancellable scope); a release of a
 * queued execution removes it from the queue. One ended from outside runs no code and never
 * releases: while executions wait behind full slots, the holders are checked every few
 * seconds and the slots of ended ones freed. The workflow continues as new before its
 * history grows large, carrying the queue.
 *
 * Every grant echoes the token the execution's ask carried (SlotRequest.token), so the
 * execution can tell it from a forged one; signal payloads are checked, and bad ones dropped.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { isRecord, isTimestamp, setCheckedSignalHandler } from './checked-signal';
import { acquireSlotSignal, queueStatsQuery, releaseSlotSignal, slotGrantedSignal, type SlotRequest, type SlotsArgs, type SlotsState } from './contracts/slots';
import { SlotHolderCheck } from './slot-holders';

const RELEASED_MEMORY = 1000;
/**
 * The history length after which the workflow continues as new. A worker that takes it over
 * (its previous one died) replays the whole history inside one workflow task, and queued
 * executions of the key wait for that: 400 events replay in well under a second on two busy
 * cores. Histories from before CONTINUE_SOONER_PATCH keep the 2,000 they were recorded with.
 */
const CONTINUE_AFTER_EVENTS = 400;
const CONTINUE_AFTER_EVENTS_BEFORE_PATCH = 2000;
const IDLE_CLOSE_MS = 60 * 60_000;
/**
 * While executions wait and every slot is held, how often the holders are checked. It bounds
 * how long a slot leaked by a terminated holder keeps the queue waiting; each check costs a
 * timer and one local activity (about 8 history events), so a queue blocked for a whole day
 * continues as new every 20 minutes or so, and Temporal gets one describe per holder.
 */
export const HOLDER_CHECK_MS = 5_000;
/** Tokens kept per execution: its client's and its own are one; a reset run adds one; more is noise. */
const TOKENS_PER_EXECUTION = 4;
const MAX_FROM_FIRST_ASK = 'slots-max-from-first-ask';
/** Histories from before it grant without tokens and never grant twice. */
const GRANT_TOKENS_PATCH = 'slots-grant-tokens';
/** Histories from before it wait idle while the queue is blocked. */
const HOLDER_CHECK_PATCH = 'slots-holder-check';
/** Histories from before it continue as new after 2,000 events. */
const CONTINUE_SOONER_PATCH = 'slots-continue-sooner';

interface Grant {
  executionId: string;
  grantedAt: string;
  token?: string;
}

function isSlotRequest(value: unknown): value is SlotRequest {
  return (
    isRecord(value) &&
    isExecutionId(value.executionId) &&
    Number.isSafeInteger(value.max) &&
    (value.max as number) >= 1 &&
    isTimestamp(value.requestedAt) &&
    (value.token === undefined || (typeof value.token === 'string' && value.token.length > 0 && value.token.length <= 200))
  );
}

function isRelease(value: unknown): value is { executionId: string } {
  return isRecord(value) && isExecutionId(value.executionId);
}

function isExecutionId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 1000;
}

export async function concurrencySlots(args: SlotsArgs): Promise<void> {
  const state: SlotsState = args.state ?? { max: 1, active: [], queue: [], released: [] };
  const released = new Set(state.released);
  const tokens = new Map(Object.entries(state.tokens ?? {}));
  const grants: Grant[] = [];
  const holders = new SlotHolderCheck();
  const context = { organizationId: args.organizationId, key: args.key };
  // Asked once per run, so a run recorded before the patch keeps its threshold to the end.
  const continueAfterEvents = patched(CONTINUE_SOONER_PATCH) ? CONTINUE_AFTER_EVENTS : CONTINUE_AFTER_EVENTS_BEFORE_PATCH;

  const markReleased = (executionId: string): void => {
    state.active = state.active.filter((a) => a.executionId !== executionId);
    state.queue = state.queue.filter((q) => q.executionId !== executionId);
    tokens.delete(executionId);
    released.add(executionId);
    if (released.size > RELEASED_MEMORY) released.delete(released.values().next().value!);
  };
  /** Keeps a token of an execution; one that holds its slot already is granted again, with it. */
  const rememberToken = (executionId: string, token: string): void => {
    const known = tokens.get(executionId) ?? [];
    if (known.includes(token) || known.length >= TOKENS_PER_EXECUTION) return;
    tokens.set(executionId, [...known, token]);
    // Its grant answered an ask without this token (an older client's, or a reset run's
    // earlier ask): the execution dropped it, so it gets one that it takes.
    const holding = state.active.find((a) => a.executionId === executionId);
    if (holding && patched(GRANT_TOKENS_PATCH)) grants.push({ ...holding, token });
  };

  setCheckedSignalHandler(
    acquireSlotSignal.name,
    isSlotRequest,
    (request) => {
      const known = released.has(request.executionId) || state.active.some((a) => a.executionId === request.executionId) || state.queue.some((q) => q.executionId === request.executionId);
      // Each execution asks twice (its starter, then its own workflow), and the second ask may
      // arrive late. Only a first ask sets max: a late repeat from an older execution must not
      // undo a max that a newer graph version raised. Older histories set it on every ask.
      if (!known || !patched(MAX_FROM_FIRST_ASK)) state.max = request.max;
      if (!known) state.queue.push(request);
      if (request.token !== undefined && !released.has(request.executionId)) rememberToken(request.executionId, request.token);
    },
    context,
  );
  setCheckedSignalHandler(releaseSlotSignal.name, isRelease, ({ executionId }) => markReleased(executionId), context);
  setHandler(queueStatsQuery, () => ({
    ref: args.key,
    maxConcurrent: state.max,
    active: state.active.length,
    queued: state.queue.length,
    oldestQueuedAt: state.queue[0]?.requestedAt ?? null,
  }));

  /** Frees the slots of holders that ended without releasing them. */
  const freeSlotsOfEndedHolders = async (): Promise<void> => {
    for (const executionId of await holders.ended(state.active.map((a) => a.executionId), context)) {
      if (!state.active.some((a) => a.executionId === executionId)) continue; // released meanwhile
      log.info('freed the slot of an execution that ended without releasing it', { ...context, executionId });
      markReleased(executionId);
    }
  };

  for (;;) {
    const canGrant = (): boolean => state.active.length < state.max && state.queue.length > 0;
    const blocked = (): boolean => state.queue.length > 0 && state.active.length >= state.max;
    const wake = (): boolean => canGrant() || grants.length > 0 || workflowInfo().historyLength > continueAfterEvents;
    // Asked at every turn, so a run recorded before the check adopts it once it runs live.
    const checksHolders = patched(HOLDER_CHECK_PATCH);
    if (checksHolders && blocked()) {
      if (!(await condition(wake, HOLDER_CHECK_MS))) await freeSlotsOfEndedHolders();
    } else {
      const idle = !(await condition(() => wake() || (checksHolders && blocked()), IDLE_CLOSE_MS));
      if (idle && state.active.length === 0 && state.queue.length === 0) return; // nothing held, nothing waiting: close
    }
    while (canGrant()) {
      const next = state.queue.shift()!;
      const grantedAt = new Date().toISOString();
      state.active.push({ executionId: next.executionId, grantedAt });
      // One grant per token the execution asked with; none known, one without (older executions take it).
      const known = patched(GRANT_TOKENS_PATCH) ? (tokens.get(next.executionId) ?? []) : [];
      if (known.length === 0) grants.push({ executionId: next.executionId, grantedAt });
      for (const token of known) grants.push({ executionId: next.executionId, grantedAt, token });
    }
    // Tell the granted executions, in order. One that is gone (terminated) never releases:
    // its slot is freed here instead.
    while (grants.length > 0) {
      const { executionId, grantedAt, token } = grants.shift()!;
      try {
        await getExternalWorkflowHandle(executionId).signal(slotGrantedSignal, { grantedAt, ...(token !== undefined ? { token } : {}) });
      } catch {
        state.active = state.active.filter((a) => a.executionId !== executionId);
      }
    }
    if (workflowInfo().historyLength > continueAfterEvents) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof concurrencySlots>({ ...args, state: { ...state, released: [...released], tokens: Object.fromEntries(tokens) } });
    }
  }
}
