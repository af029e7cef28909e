/**
 * `settings.deadline` (or the start's own deadline) as a durable timer in its own scope. It
 * only raises a flag that the loop reads, so the loop decides when to stop, in one place.
 * The absolute time is fixed when the execution starts and carried across continue-as-new.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';
import type { CarriedState, GraphExecutionArgs } from './contracts/execution';
import { durationMs } from './graph/durations';
import type { GraphDocument } from './graph/types';

export class Deadline {
  /** The deadline as written ("10m"), for the error message. */
  readonly written: string | undefined;
  /** When it passes (ISO), if there is one. */
  readonly at: string | undefined;
  passed = false;
  /** Called when it passes, after `passed` is set (the loop's wait listens). */
  onPassed: () => void = () => undefined;
  /**
   * The timer's scope, only when there is a timer: an empty scope issues no command when
   * cancelled, so leaving it out changes no history, and spares every execution without a
   * deadline its three promises. Made here, in the constructor, when there is one: the order
   * in which scopes hear the workflow's cancellation is fixed by recorded histories.
   */
  private readonly scope: CancellationScope | undefined;
  /**
   * False when the parent's inherited instant applies: the parent's own timer cancels this
   * child when it passes, and a second timer here would race it, turning the parent's timeout
   * into a failed subgraph node.
   */
  private readonly timed: boolean;

  constructor(args: GraphExecutionArgs, graph: GraphDocument, startedAt: string, carried?: CarriedState) {
    const own = args.deadline ?? graph.settings?.deadline;
    const ownAt = own ? new Date(Date.parse(startedAt) + durationMs(own)).toISOString() : undefined;
    // A subgraph's child inherits its parent's instant: whichever of the two comes first applies.
    const inherited = args.deadlineAt !== undefined && (ownAt === undefined || Date.parse(args.deadlineAt) < Date.parse(ownAt));
    this.written = inherited ? 'inherited from the parent' : own;
    this.at = carried?.deadlineAt ?? (inherited ? args.deadlineAt : ownAt);
    this.timed = !inherited;
    this.scope = this.at && this.timed ? new CancellationScope() : undefined;
  }

  /** Starts the timer (a command: call it where the history expects it). */
  start(): void {
    if (!this.at || !this.scope) return;
    const at = this.at;
    void this.scope.run(() => sleep(Math.max(1, Date.parse(at) - Date.now()))).then(
      () => {
        this.passed = true;
        this.onPassed();
      },
      () => undefined,
    );
  }

  /** The execution ended first: the timer is no longer needed. */
  cancel(): void {
    this.scope?.cancel();
  }
}
