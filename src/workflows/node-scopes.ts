/**
 * The cancellation scopes the loop starts its timer, signal, activity, subgraph and map nodes
 * in. Each node used to get a scope of its own. Every promise workflow code creates costs the
 * SDK a captured stack trace (its promise hook keeps them for the stack-trace query), and a
 * scope plus its `run` make five, which was the larger part of the engine's overhead per node
 * over a hand-written workflow. Cancelling is all or nothing anyway (RunState stops every
 * running node at once), so a run's nodes now share one scope, entered once per round.
 *
 * One difference reaches the history: cancelling one scope sends the cancel commands in the
 * order the nodes were scheduled, where one scope per node sent them in document order. So
 * the shared scope applies only to executions whose starter asked for it
 * (GraphExecutionArgs.sharedNodeScope, which every starter now sets): a recorded history
 * without it replays as it ran. (`patched()` would do the same at two history events a run.)
 */
import { CancellationScope } from '@temporalio/workflow';

const SETTLED: Promise<void> = Promise.resolve();

export class NodeScopes {
  private constructor(private readonly shared: CancellationScope | undefined) {}

  /** Before the run's first node starts; `shared` from the execution's arguments. */
  static open(shared: boolean): NodeScopes {
    return new NodeScopes(shared ? new CancellationScope() : undefined);
  }

  /** Runs `startAll`, which starts a round's nodes with `start`, inside the shared scope (when there is one). */
  round(startAll: () => void): void {
    if (!this.shared) return startAll();
    let failure: { error: unknown } | undefined;
    void this.shared.run(() => {
      try {
        startAll();
      } catch (error) {
        failure = { error };
      }
      return SETTLED;
    });
    // A bug while starting fails the workflow task, as it did outside a scope.
    if (failure) throw failure.error;
  }

  /** Starts one node (`body` schedules it at once): in the current round's shared scope, or in a scope of its own. */
  start<T>(body: () => Promise<T>): { scope: CancellationScope; outcome: Promise<T> } {
    if (this.shared) return { scope: this.shared, outcome: body() };
    const scope = new CancellationScope();
    return { scope, outcome: scope.run(body) };
  }
}
