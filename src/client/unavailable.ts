/**
 * The one place a failure to reach PostgreSQL or Temporal becomes an UnavailableError (CLI
 * exit 3, HTTP 503); every other error passes through unchanged. The client, the API and
 * the CLI wrap their database work in `withPostgres`.
 */
import { Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError, UnavailableError } from './errors';

// The Postgres half has no Temporal import, so a command that needs only the mirror stays light.
export { asPostgresUnavailable, withPostgres } from './postgres-unavailable';

/**
 * A Temporal failure as the caller should see it: Temporal unreachable becomes
 * UnavailableError('temporal'), an unknown workflow of `executionId` NotFoundError; other
 * errors pass through.
 */
export function asTemporalError(error: unknown, executionId?: string): unknown {
  if (error instanceof NotFoundError) return error;
  if (error instanceof WorkflowNotFoundError && executionId) return new NotFoundError('execution', executionId);
  const message = error instanceof Error ? error.message : String(error);
  if (/UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED|Failed to connect/i.test(message)) {
    return new UnavailableError('temporal', `Temporal is unreachable (${message.split('\n')[0]})`, { cause: error });
  }
  return error;
}

/** Runs Temporal calls, mapping failures with asTemporalError. */
export async function withTemporal<T>(work: () => Promise<T>, executionId?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asTemporalError(error, executionId);
  }
}

/** Connects to Temporal at `address`; UnavailableError when it cannot be reached. */
export async function connectTemporal(address: string): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: 5000 });
  } catch (error) {
    throw new UnavailableError('temporal', `Temporal is unreachable at ${address}`, { cause: error });
  }
}
