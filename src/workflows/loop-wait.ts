/**
 * How the interpreter's loop waits between rounds until a node settled or the deadline
 * passed, and learns that the execution was cancelled meanwhile.
 *
 * Every promise workflow code creates costs the SDK a captured stack trace (its promise hook
 * keeps them for the stack-trace query), and `condition()` makes four a round, plus the
 * `then` that caught its cancellation. `WakeOnSettle` makes one: the node's outcome handler,
 * the deadline's timer and the root scope's cancellation wake the loop themselves.
 *
 * The two differ in when the loop resumes: a condition is checked once the activation's
 * microtasks have all run, a wake-up resumes it in their midst, so nodes of different kinds
 * settling in one activation may be taken in a different order or round. So the wake-up
 * applies only to executions whose starter asked for it (GraphExecutionArgs.wakeOnSettle,
 * which every starter sets); a recorded history without it replays as it ran.
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';

export interface LoopWait {
  /** Something the loop waits for happened: a node settled (its outcome is queued) or the deadline passed. */
  wake(): void;
  /**
   * True once `ready()` holds; false when the execution was cancelled first, after calling
   * `onCancelled`. A promise only when the loop has to wait.
   */
  until(ready: () => boolean): boolean | Promise<boolean>;
}

/** Opens the loop's wait; in the workflow's root scope, before its first node starts. */
export function openLoopWait(wakeOnSettle: boolean, onCancelled: (error: unknown) => void): LoopWait {
  return wakeOnSettle ? new WakeOnSettle(onCancelled) : new ConditionWait(onCancelled);
}

/** The loop as it was recorded before `wakeOnSettle`: a `condition()` a round. */
class ConditionWait implements LoopWait {
  constructor(private readonly onCancelled: (error: unknown) => void) {}

  wake(): void {}

  until(ready: () => boolean): Promise<boolean> {
    return condition(ready).then(
      () => true,
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
        this.onCancelled(error);
        return false;
      },
    );
  }
}

class WakeOnSettle implements LoopWait {
  private wakeUp: ((going: boolean) => void) | undefined;
  private cancellation: { error: unknown } | undefined;

  constructor(private readonly onCancelled: (error: unknown) => void) {
    CancellationScope.current().cancelRequested.catch((error: unknown) => {
      this.cancellation = { error };
      this.wake();
    });
  }

  until(ready: () => boolean): boolean | Promise<boolean> {
    if (this.cancellation) return this.cancelled();
    if (ready()) return true;
    return new Promise<boolean>((resolve) => (this.wakeUp = resolve));
  }

  wake(): void {
    const resume = this.wakeUp;
    this.wakeUp = undefined;
    resume?.(this.cancellation ? this.cancelled() : true);
  }

  private cancelled(): false {
    this.onCancelled(this.cancellation!.error);
    return false;
  }
}
