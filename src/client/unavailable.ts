/**
 * The one place a failure to reach PostgreSQL or Temporal becomes an UnavailableError (CLI
 * exit 3, HTTP 503); every other error passes through unchanged. The client, the API and
 * the CLI wrap their database work in `withPostgres`.
 */
import { Connection, WorkflowNotFoundError } from '@temporalio/client';
import { describeConnectFailure } from '../common/temporal-connect-failure';
import { clientConnectionOptions, type TemporalTarget } from '../common/temporal-connection';
import { NotFoundError, TemporalTlsError, UnavailableError } from './errors';

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

/**
 * Connects to Temporal as `target` says (address, TLS, API key); TemporalTlsError when the
 * TLS handshake fails, UnavailableError when it cannot be reached otherwise.
 */
export async function connectTemporal(target: TemporalTarget): Promise<Connection> {
  try {
    return await Connection.connect({ ...clientConnectionOptions(target), connectTimeout: 5000 });
  } catch (error) {
    const failure = await describeConnectFailure(target, `Temporal is unreachable at ${target.temporalAddress}`);
    if (failure.kind === 'tls') throw new TemporalTlsError(failure.message, { cause: error });
    throw new UnavailableError('temporal', failure.message, { cause: error });
  }
}
