/** The per-key FIFO slots workflow's contract: requests, carried state, signals and query. */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface SlotRequest {
  executionId: string;
  /** The graph's current `settings.concurrency.max`; the latest one applies to the next grants. */
  max: number;
  requestedAt: string;
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
/** To an execution: your slot is granted (at the slots workflow's time, so starts order as grants do). */
export const slotGrantedSignal = defineSignal<[{ grantedAt: string }]>('slotGranted');
export const queueStatsQuery = defineQuery<QueueStats>('queueStats');
