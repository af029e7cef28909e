/** Exit codes of `wf` (DESIGN §7). */
export const EXIT = {
  ok: 0,
  /** The execution failed, was cancelled or timed out. */
  executionFailed: 1,
  /** Invalid graph, input or usage. */
  invalid: 2,
  /** Temporal or Postgres unreachable. */
  unavailable: 3,
} as const;

export function exitCodeForStatus(status: string): number {
  return status === 'failed' || status === 'cancelled' || status === 'timed_out' ? EXIT.executionFailed : EXIT.ok;
}
