/** The pg-boss executor's own errors: small classes with the context a reader needs. */

/** A graph uses a feature this executor does not implement (it is a benchmark comparison, not an engine). */
export class UnsupportedGraphError extends Error {
  override readonly name = 'UnsupportedGraphError';
  constructor(
    readonly graphId: string,
    readonly problems: readonly string[],
  ) {
    super(`graph "${graphId}" cannot run on the pg-boss executor: ${problems.join('; ')}`);
  }
}

/** What run() rejects with when an execution ended failed. */
export class ExecutionFailedError extends Error {
  override readonly name = 'ExecutionFailedError';
  constructor(
    readonly executionId: string,
    readonly error: { nodeId?: string; type: string; message: string },
  ) {
    super(`execution ${executionId} failed${error.nodeId ? ` at node "${error.nodeId}"` : ''} (${error.type}): ${error.message}`);
  }
}
