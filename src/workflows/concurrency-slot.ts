/**
 * The execution's side of per-key FIFO concurrency (`settings.concurrency`): ask the key's
 * slots workflow for a slot, wait queued until it is granted, and give it back on every way
 * the execution ends. Whether the slot is held is carried across continue-as-new.
 */
import { condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { slotsWorkflowId } from './contracts/names';
import { releaseSlotSignal, slotGrantedSignal } from './contracts/slots';
import { requestConcurrencySlot } from './local-activities';

export class ConcurrencySlot {
  private granted: boolean;
  private grantedAt: string | undefined;

  constructor(
    private readonly ids: { executionId: string; organizationId: string },
    private readonly limit: { key: string; max: number } | undefined,
    /** From here on the slot must be released, granted or not. */
    public holds: boolean,
  ) {
    this.granted = holds;
    setHandler(slotGrantedSignal, (grant) => {
      this.granted = true;
      this.grantedAt ??= grant.grantedAt;
    });
  }

  /** Whether the execution must wait for a slot before starting anything. */
  get mustWait(): boolean {
    return this.limit !== undefined && !this.holds;
  }

  /** When the slots workflow granted the slot (its clock), once it did. */
  get grantTime(): string | undefined {
    return this.grantedAt;
  }

  /**
   * Asks for the slot and waits until it is granted or `stop()` says to give up (the
   * deadline). Returns whether it was granted; throws the cancellation when cancelled.
   */
  async acquire(requestedAt: string, stop: () => boolean): Promise<boolean> {
    const { key, max } = this.limit!;
    // Held from the moment it is asked for: a release of a queued (or never queued) execution is harmless.
    this.holds = true;
    await requestConcurrencySlot({ organizationId: this.ids.organizationId, key, request: { executionId: this.ids.executionId, max, requestedAt } });
    await condition(() => this.granted || stop());
    return this.granted;
  }

  /** Gives the slot (held or queued) back. */
  async release(): Promise<void> {
    if (!this.limit || !this.holds) return;
    try {
      await getExternalWorkflowHandle(slotsWorkflowId(this.ids.organizationId, this.limit.key)).signal(releaseSlotSignal, { executionId: this.ids.executionId });
    } catch {
      // The slots workflow is gone: nothing is held there any more.
    }
  }
}
