/**
 * The execution's side of per-key FIFO concurrency (`settings.concurrency`): ask the key's
 * slots workflow for a slot, wait queued until it is granted, and give it back on every way
 * the execution ends. Whether the slot is held is carried across continue-as-new.
 *
 * A grant is taken only when it carries the execution's grant token, which its asks carry and
 * the slots workflow echoes: anyone can send a `slotGranted` signal (`temporal workflow
 * signal`), and a forged one used to start a queued execution without a slot.
 */
import { condition, getExternalWorkflowHandle, log, patched, uuid4 } from '@temporalio/workflow';
import { isRecord, isTimestamp, setCheckedSignalHandler } from './checked-signal';
import { slotsWorkflowId } from './contracts/names';
import { SLOT_GRANTED_SIGNAL } from './contracts/signal-names';
import { releaseSlotSignal, type SlotGrant } from './contracts/slots';
import { requestConcurrencySlot } from './local-activities';

/** Executions from before it take any grant (their histories hold grants without a token). */
const GRANT_TOKENS_PATCH = 'slot-grant-tokens';

function isGrant(value: unknown): value is SlotGrant {
  return isRecord(value) && isTimestamp(value.grantedAt) && (value.token === undefined || typeof value.token === 'string');
}

export class ConcurrencySlot {
  private granted: boolean;
  private grantedAt: string | undefined;
  /** What a grant must carry to count; undefined: any grant counts (an execution from before the patch). */
  private readonly token: string | undefined;

  constructor(
    private readonly ids: { executionId: string; organizationId: string },
    private readonly limit: { key: string; max: number } | undefined,
    /** From here on the slot must be released, granted or not. */
    public holds: boolean,
    /** The client's token for this execution (GraphExecutionArgs.slotToken), if it made one. */
    clientToken?: string,
  ) {
    this.granted = holds;
    // Decided here, in the first activation, before any grant (forged or not) can be handled.
    // uuid4() is the workflow's seeded random: the same token on every replay.
    this.token = limit !== undefined && !holds && patched(GRANT_TOKENS_PATCH) ? (clientToken ?? uuid4()) : undefined;
    setCheckedSignalHandler(
      SLOT_GRANTED_SIGNAL,
      isGrant,
      (grant) => {
        if (this.token !== undefined && grant.token !== this.token) {
          log.warn('dropped a "slotGranted" signal that answers no slot ask of this execution', { executionId: ids.executionId });
          return;
        }
        this.granted = true;
        this.grantedAt ??= grant.grantedAt;
      },
      { executionId: ids.executionId },
    );
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
    const request = { executionId: this.ids.executionId, max, requestedAt, ...(this.token !== undefined ? { token: this.token } : {}) };
    await requestConcurrencySlot({ organizationId: this.ids.organizationId, key, request });
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
