/**
 * The cancellation scopes the loop starts its timer, signal, activity, subgraph and map nodes
 * in. Each node used to get a scope of its own. Every promise workflow code creates costs the
 * SDK a captured stack trace (its promise hook keeps them for the stack-trace query), and a
 * scope plus its `run` make five, which was the larger part of the engine's overhead per node
 * over a hand-written workflow. Cancelling is all or nothing anyway (RunState stops every
 * running node at once), so a run's nodes now share one scope.
 *
 * Entering that scope each round still made two promises a round (`run` is an async method).
 * So the loop itself now runs inside it (`loop`), entered once a run, and what it starts that
 * must outlive the nodes (the mirror's background flush) steps out to the root scope
 * (`outside`), which costs those two only when a flush starts. Same scopes, same commands.
 *
 * One difference reaches the history: cancelling one scope sends the cancel commands in the
 * order the nodes were scheduled, where one scope per node sent them in document order. So
 * the shared scope applies only to executions whose starter asked for it
 * (GraphExecutionArgs.sharedNodeScope, which every starter sets), and the loop inside it
 * only to those that also asked for `loopInNodeScope` (its exit reaches the end of the
 * execution a few microtask turns later): a recorded history without them replays as it ran.
 * (`patched()` would do the same at two history events a run.)
 */
import { CancellationScope } from '@temporalio/workflow';

const SETTLED: Promise<void> = Promise.resolve();

export interface NodeScopeRequest {
  sharedNodeScope?: boolean;
  loopInNodeScope?: boolean;
}

export class NodeScopes {
  private constructor(
    private readonly shared: CancellationScope | undefined,
    /** The loop runs inside `shared`. */
    readonly loopInside: boolean,
    private readonly root: CancellationScope,
  ) {}

  /** Before the run's first node starts, in the workflow's root scope; the request from the execution's arguments. */
  static open(request: NodeScopeRequest): NodeScopes {
    const shared = request.sharedNodeScope === true;
    return new NodeScopes(shared ? new CancellationScope() : undefined, shared && request.loopInNodeScope === true, CancellationScope.current());
  }

  /** Runs the interpreter's loop: inside the shared scope when the execution asked for it, else where it is called. */
  loop<T>(body: () => Promise<T>): Promise<T> {
    return this.loopInside ? this.shared!.run(body) : body();
  }

  /** Runs `startAll`, which starts a round's nodes with `start`, inside the shared scope (when there is one). */
  round(startAll: () => void): void {
    if (!this.shared || CancellationScope.current() === this.shared) return startAll();
    runInside(this.shared, startAll);
  }

  /** Runs `work`, which starts what must not be cancelled with the nodes, outside the shared scope. */
  outside(work: () => void): void {
    // Where the loop runs in the root scope, or in the shared one (it entered it), this is
    // the check it always was; a round run by a wake-up (roundsOnSettle) may run in the
    // waker's scope, which is neither.
    if (!this.shared || CancellationScope.current() === this.root) return work();
    runInside(this.root, work);
  }

  /** Starts one node (`body` schedules it at once): in the current round's shared scope, or in a scope of its own. */
  start<T>(body: () => Promise<T>): { scope: CancellationScope; outcome: Promise<T> } {
    if (this.shared) return { scope: this.shared, outcome: body() };
    const scope = new CancellationScope();
    return { scope, outcome: scope.run(body) };
  }

  /** The scope a node started by `body` runs in; only when the loop runs inside the shared scope. */
  startInLoopScope(body: () => void): CancellationScope {
    if (!this.loopInside) throw new Error('startInLoopScope needs the loop inside the shared scope');
    body();
    return this.shared!;
  }
}

/** Runs `work` synchronously with `scope` current; a bug in it throws here, as it would outside a scope. */
function runInside(scope: CancellationScope, work: () => void): void {
  let failure: { error: unknown } | undefined;
  void scope.run(() => {
    try {
      work();
    } catch (error) {
      failure = { error };
    }
    return SETTLED;
  });
  if (failure) throw failure.error;
}
