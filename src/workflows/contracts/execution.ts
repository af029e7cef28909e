/** The graph workflow's contract: what starts an execution, what a continued run carries, what it returns. */
import type { ExecutionError } from '../graph/failures';
import type { NodeRuntime } from '../graph/node-types';
import type { CompactPlanSnapshot } from '../graph/plan-snapshot';
import type { PlanSnapshot } from '../graph/planner';
import type { ExecutionStatus, GraphDocument, Json, StepStatus } from '../graph/types';

export interface GraphExecutionArgs {
  /**
   * The execution's id, which is also its workflow id. Empty in a schedule's action: its
   * arguments are the same for every run, so each run takes the workflow id Temporal gives it.
   */
  executionId: string;
  /** The schedule whose action started the execution (its id in the organization). */
  scheduleId?: string;
  organizationId: string;
  graph: GraphDocument;
  input: Json;
  /** State carried from the previous run when the execution continued as new. */
  carried?: CarriedState;
  /** The execution this one retries (from a dead letter). */
  retryOf?: string;
  /**
   * Resume: outputs of the nodes the original completed, in completion order. They are
   * recorded as completed with `reused: true` and do not run again.
   */
  seed?: { nodeId: string; output: Json }[];
  /** Overrides `settings.deadline` (a duration like "10m"). */
  deadline?: string;
  /** The concurrency key, evaluated once by the client from `settings.concurrency.key`. */
  concurrencyKey?: string;
  /**
   * The grant token of the execution's slot asks, made by the client so that its own ask (sent
   * before the workflow runs) carries the same token as the workflow's. Without it the workflow
   * makes one (an execution started by hand or by older clients).
   */
  slotToken?: string;
  /**
   * The run's timer, signal, activity, subgraph and map nodes share one cancellation scope
   * (src/workflows/node-scopes.ts). Every starter sets it; an execution started before it
   * existed (a recorded history without it) keeps one scope per node, as it was recorded.
   * An argument rather than `patched()`: a patch costs every execution two history events.
   */
  sharedNodeScope?: boolean;
  /**
   * The loop waits for its nodes by being woken as each settles (src/workflows/loop-wait.ts),
   * and an activity node's outcome reaches it without an async function in between: fewer
   * promises a node. Every starter sets it; a recorded history without it replays as it ran.
   */
  wakeOnSettle?: boolean;
  /**
   * The loop runs inside the nodes' shared scope, entered once a run instead of once a round,
   * and a node's end reaches it by the activity's own `then` (src/workflows/node-scopes.ts,
   * node-runner.ts settleNode): three promises a node fewer. Needs `sharedNodeScope`. Every
   * starter sets it; a recorded history without it replays as it ran.
   */
  loopInNodeScope?: boolean;
  /**
   * The loop's rounds run in the wake-ups themselves (a node's settling callback, the
   * deadline's), so it never awaits a promise between rounds (src/workflows/loop-wait.ts
   * RoundsOnWake): two promises a node fewer. Needs `wakeOnSettle`. Every starter sets it; a
   * recorded history without it replays as it ran.
   */
  roundsOnSettle?: boolean;
  /**
   * The final mirror batch leaves out the updates a node activity carried and said it wrote
   * (NodeActivityResult.carriedWritten; src/workflows/mirror-buffer.ts carriedWritten): it
   * changes how many mirror flushes a run's end schedules (a batch is 500 steps; a run that
   * continues as new may have none left). Every starter sets it; a recorded history without it
   * replays as it ran, whatever its activities' results say.
   */
  finalSkipsWritten?: boolean;
  /** A subgraph's child execution: the execution whose `subgraph` node started it. */
  parentExecutionId?: string;
  /** How deep in subgraphs this execution runs: 0 (absent) for a top-level one, its children 1, … */
  subgraphDepth?: number;
  /** An absolute deadline (ISO) inherited from the parent; the earlier of it and the graph's own applies. */
  deadlineAt?: string;
  /**
   * Continue as new once history has this many events, even before Temporal suggests it
   * (tests use it to exercise continuation on small graphs).
   */
  continueAsNewAtEvents?: number;
}

/** Facts about a step that the plan does not hold: attempts, times, whether the activity mirrored itself. */
export interface StepMeta {
  runtime: NodeRuntime;
  attempts?: number;
  /** Attempts of the node's compensation, once it ended (the mirror's compensate rows follow it). */
  compensationAttempts?: number;
  startedAt?: string;
  finishedAt?: string;
  mirrored?: boolean;
}

/** How far a map that paused for continue-as-new got: every item before `next` has ended. */
export interface MapCarried {
  next: number;
  results: Json[];
  failed: number;
}

/** What a continued run needs from the one before it. */
export interface CarriedState {
  /** Compact since wide graphs; runs continued by older code carried the object form. */
  plan: CompactPlanSnapshot | PlanSnapshot;
  /** Absolute deadline (ISO), fixed when the execution started. */
  deadlineAt?: string;
  /** Signals received but not yet taken by a `wait` node. */
  signals?: Record<string, Json[]>;
  /** The execution holds its concurrency slot (it must release it at the end). */
  holdsSlot?: boolean;
  /** Every decided node's StepMeta, as older runs carried it (carried-meta.ts). */
  meta?: Record<string, StepMeta>;
  /** Attempts of the nodes that made any, by node id: what a continued run still reads of StepMeta. */
  attempts?: Record<string, number>;
  startedAt: string;
  /** Graph id → version of the subgraphs named without a version, pinned when the execution started. */
  subgraphVersions?: Record<string, number>;
  continuations: number;
  /** Maps that paused for the new run, by node id: how far each got. */
  maps?: Record<string, MapCarried>;
}

export interface StepSummary {
  status: StepStatus;
  attempts: number;
  reused?: boolean;
}

export interface GraphExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  output: Json;
  error: ExecutionError | null;
  steps: Record<string, StepSummary>;
}

/** What every starter asks of the interpreter (the arguments above that old histories lack). */
export const CURRENT_INTERPRETER: Pick<GraphExecutionArgs, 'sharedNodeScope' | 'wakeOnSettle' | 'loopInNodeScope' | 'roundsOnSettle' | 'finalSkipsWritten'> = {
  sharedNodeScope: true,
  wakeOnSettle: true,
  loopInNodeScope: true,
  roundsOnSettle: true,
  finalSkipsWritten: true,
};
