/**
 * How the workflow's mirror updates leave it: the first batches when the execution starts,
 * urgent updates riding along with the next node activity or flushed in the background
 * (one flush at a time, so batches land in order), and the final batches, which wait for
 * every earlier flush. The batching rules themselves are MirrorBuffer's.
 */
import type { ExecutionUpdate, MirrorBatch, StepUpdate } from './contracts/mirror';
import type { RunState } from './graph/run-state';
import { writeMirror } from './mirror-write';
import { MirrorBuffer } from './mirror-buffer';

export class MirrorChannel {
  readonly buffer: MirrorBuffer;
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = false;

  constructor(
    ids: { executionId: string; organizationId: string },
    private readonly run: RunState,
    private readonly now: () => string,
  ) {
    this.buffer = new MirrorBuffer(ids.executionId, ids.organizationId);
  }

  /** The execution row and every step, before any node runs. */
  async start(execution: ExecutionUpdate): Promise<void> {
    for (const batch of this.buffer.startBatches(this.run.plan, execution)) await writeMirror(batch);
  }

  /** Records every status change since the last call. */
  observe(): void {
    this.buffer.observe(this.run.plan, this.run.meta, this.now());
  }

  /** A step update the plan does not hold (a map's items and progress). */
  report(update: StepUpdate): void {
    this.buffer.report(update);
  }

  /** Urgent updates for the next node activity to write in its own transaction. */
  takeForActivity(): StepUpdate[] {
    return this.buffer.takeForActivity();
  }

  /** `takeForActivity`'s updates, which their activity says it wrote. */
  carriedWritten(steps: readonly StepUpdate[]): void {
    this.buffer.carriedWritten(steps);
  }

  /** Whether `flushUrgentInBackground` would start a flush now. */
  get backgroundFlushDue(): boolean {
    return this.buffer.hasUrgent() && !this.inFlight;
  }

  /** Urgent updates no activity carried: one background flush, unless one is on its way. */
  flushUrgentInBackground(): void {
    if (!this.backgroundFlushDue) return;
    const batch = this.buffer.takeUrgent();
    this.inFlight = true;
    this.flushing = this.flushing
      .then(async () => {
        await writeMirror(batch);
      })
      .finally(() => {
        this.inFlight = false;
      });
  }

  /**
   * Everything still unsent, after every earlier flush; the last batch carries the
   * execution update and the dead-letter row, when given (one transaction).
   */
  async drain(execution?: ExecutionUpdate, deadLetter?: MirrorBatch['deadLetter']): Promise<void> {
    await this.flushing;
    const batches = this.buffer.takeFinal(execution);
    if (deadLetter) batches[batches.length - 1].deadLetter = deadLetter;
    for (const batch of batches) await writeMirror(batch);
  }
}
