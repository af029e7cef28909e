/** The per-key FIFO slots workflow's contract: requests, carried state, signals and query. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { SLOT_GRANTED_SIGNAL } from './signal-names';

export interface SlotRequest {
  executionId: string;
  /** The graph's current `settings.concurrency.max`; the latest one applies to the next grants. */
  max: number;
  requestedAt: string;
  /**
   * The execution's grant token: the slots workflow echoes it in the grant, and the execution
   * takes only a grant that carries it, so a `slotGranted` sent by anyone else is dropped.
   * Absent from asks of executions started before grants were checked.
   */
  token?: string;
}

/** To an execution: the slot is granted, at the slots workflow's time (so starts order as grants do). */
export interface SlotGrant {
  grantedAt: string;
  /** The token of the ask this grant answers (absent when the ask carried none). */
  token?: string;
}

export interface SlotsArgs {
  organizationId: string;
  key: string;
  /** Carried across continue-as-new. */
  state?: SlotsState;
}

export interface SlotsState {
  max: number;
  active: { executionId: string; grantedAt: string }[];
  queue: SlotRequest[];
  /** Executions already released, so a late duplicate request is not granted again. */
  released: string[];
  /** Grant tokens of queued and active executions (an execution may ask with more than one). */
  tokens?: Record<string, string[]>;
}

export interface QueueStats {
  ref: string;
  maxConcurrent: number | null;
  active: number;
  queued: number;
  oldestQueuedAt: string | null;
}

/** To the slots workflow: queue me (idempotent per execution). */
export const acquireSlotSignal = defineSignal<[SlotRequest]>('acquireSlot');
/** To the slots workflow: I am done (or cancelled while queued). */
export const releaseSlotSignal = defineSignal<[{ executionId: string }]>('releaseSlot');
/** To an execution: your slot is granted. */
export const slotGrantedSignal = defineSignal<[SlotGrant]>(SLOT_GRANTED_SIGNAL);
export const queueStatsQuery = defineQuery<QueueStats>('queueStats');
