/**
 * The closed set of failure types an execution can end with (DESIGN §4). A node's own error
 * type (for a `mock`, its `fail.type`) is kept beside it in `error.node`.
 *
 * - InvalidGraph: the document failed validation (normally caught before Temporal).
 * - NodeFailed: a node failed for good and no error edge handled it.
 * - ExpressionError: an expression failed at run time (not retried; an error edge can handle it).
 * - InvalidConfig: a node's config, once its expressions were evaluated, did not fit its type.
 * - DeadlineExceeded: `settings.deadline` passed.
 * - WaitTimeout: a `wait` node's signal did not come in time.
 * - Cancelled: cancelled by an operator.
 */
export const EXECUTION_FAILURE_TYPES = [
  'InvalidGraph',
  'NodeFailed',
  'ExpressionError',
  'InvalidConfig',
  'DeadlineExceeded',
  'WaitTimeout',
  'Cancelled',
] as const;
export type ExecutionFailureType = (typeof EXECUTION_FAILURE_TYPES)[number];

/** Node failure types that are permanent by nature: never retried whatever the retry policy. */
export const NON_RETRYABLE_NODE_FAILURES = ['ExpressionError', 'InvalidConfig'] as const;

/** Default retry policy for activity nodes (DESIGN §4). */
export const DEFAULT_RETRY = {
  maxAttempts: 3,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
} as const;
export const DEFAULT_START_TO_CLOSE_MS = 5 * 60_000;

export interface ExecutionError {
  type: ExecutionFailureType;
  message: string;
  /** The node that failed the execution, with its own error type and message. */
  node?: { nodeId: string; type: string; message: string; attempts: number };
  /** Compensations that failed for good (the step then stays completed). */
  compensationFailures?: { nodeId: string; type: string; message: string }[];
}
