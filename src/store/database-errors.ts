/**
 * Which database errors pass by themselves. A connection that failed or a server going
 * down is worth waiting for (the mirror converges once Postgres is back); a statement the
 * database refuses (a constraint, a value jsonb cannot hold, a missing column) fails the
 * same way every time, and retrying it forever only hides it.
 */

/** Node's socket errors and Postgres's own connection failures (SQLSTATE class 08, shutdowns). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const CONNECTION_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end/i;

/** Beside connection failures: contention and resource limits that a retry outlives. */
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '57014', '58000', '58030']);
const TRANSIENT_CLASSES = ['08', '53'];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The database could not be reached (or went away mid-statement). */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code && CONNECTION_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return CONNECTION_MESSAGES.test(message);
}

/** Worth retrying as it is: a connection failure, contention or a resource limit. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  const code = codeOf(error);
  return code !== undefined && (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.includes(code.slice(0, 2)));
}
