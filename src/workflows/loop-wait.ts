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
 *
 * `RoundsOnWake` goes one step further for executions that ask for `roundsOnSettle`: the
 * wake-up runs the loop's next round itself, in the settling node's own callback, so the
 * loop never waits on a promise (the wake-up's and the `await` on it made two a round).
 * A round then takes one settled node where the awaiting loop took all that settled in the
 * activation before it resumed: the same nodes start, in rounds of their own.
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';

export interface LoopWait {
  /** Something the loop waits for happened: a node settled (its outcome is queued) or the deadline passed. */
  wake(): void;
  /** Runs the loop's rounds until one says it is over. */
  drive(rounds: LoopRounds): Promise<void>;
}

/** The interpreter's loop in three parts, each false once the loop is over. */
export interface LoopRounds {
  /** Starts what can start, up to the wait. */
  start(): boolean;
  /** Whether what the loop waits for happened (never false after a wake-up). */
  woken(): boolean;
  /** Applies what settled. */
  take(): boolean;
}

/** Which of the recorded loop modes an execution asked for (GraphExecutionArgs). */
export interface LoopWaitRequest {
  wakeOnSettle?: boolean;
  roundsOnSettle?: boolean;
}

/** Opens the loop's wait; in the workflow's root scope, before its first node starts. */
export function openLoopWait(request: LoopWaitRequest, onCancelled: (error: unknown) => void): LoopWait {
  if (request.wakeOnSettle !== true) return new ConditionWait(onCancelled);
  return request.roundsOnSettle === true ? new RoundsOnWake(onCancelled) : new WakeOnSettle(onCancelled);
}

/** A wait the loop awaits between rounds: true once `ready()` holds, false when cancelled first. */
interface AwaitedWait {
  until(ready: () => boolean): boolean | Promise<boolean>;
}

/** The loop of the two older modes: a round, an `await` on the wait when it has to wait, what settled. */
async function awaitRounds(wait: AwaitedWait, rounds: LoopRounds): Promise<void> {
  for (;;) {
    if (!rounds.start()) return;
    const going = wait.until(rounds.woken);
    if (!(typeof going === 'boolean' ? going : await going)) return;
    if (!rounds.take()) return;
  }
}

/** The loop as it was recorded before `wakeOnSettle`: a `condition()` a round. */
class ConditionWait implements LoopWait {
  constructor(private readonly onCancelled: (error: unknown) => void) {}

  wake(): void {}

  drive(rounds: LoopRounds): Promise<void> {
    return awaitRounds(this, rounds);
  }

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

  drive(rounds: LoopRounds): Promise<void> {
    return awaitRounds(this, rounds);
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

/**
 * The loop run by its wake-ups: `drive` runs rounds until one has to wait, then leaves the
 * next to whatever wakes it (a node's settling callback, the deadline's, the cancellation's),
 * which runs it at once. One promise a run, the one `drive` returns.
 */
class RoundsOnWake implements LoopWait {
  private resume: (() => void) | undefined;
  private cancellation: { error: unknown } | undefined;

  constructor(private readonly onCancelled: (error: unknown) => void) {
    CancellationScope.current().cancelRequested.catch((error: unknown) => {
      this.cancellation = { error };
      this.wake();
    });
  }

  wake(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }

  drive(rounds: LoopRounds): Promise<void> {
    return new Promise<void>((done, fail) => {
      // A bug in a round rejects the loop, as it would throw out of the awaiting loop.
      const proceed = (): void => {
        try {
          for (;;) {
            if (this.cancellation) {
              this.onCancelled(this.cancellation.error);
              return done();
            }
            if (!rounds.woken()) {
              this.resume = proceed;
              return;
            }
            if (!rounds.take() || !rounds.start()) return done();
          }
        } catch (error) {
          fail(error);
        }
      };
      try {
        if (!rounds.start()) return done();
      } catch (error) {
        return fail(error);
      }
      proceed();
    });
  }
}
