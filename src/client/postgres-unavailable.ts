/** A failure to reach PostgreSQL as UnavailableError('postgres') (CLI exit 3, HTTP 503); other errors pass through. */
import { isConnectionError } from '../store/database-errors';
import { UnavailableError } from './errors';

/** A Postgres connection failure as UnavailableError; other errors pass through. */
export function asPostgresUnavailable(error: unknown): unknown {
  if (isConnectionError(error)) {
    const code = (error as { code?: string })?.code;
    const message = error instanceof Error ? error.message : String(error);
    return new UnavailableError('postgres', `PostgreSQL is unreachable (${code ?? message.split('\n')[0]})`, { cause: error });
  }
  return error;
}

/** Runs database work; a connection failure surfaces as UnavailableError('postgres'). */
export async function withPostgres<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asPostgresUnavailable(error);
  }
}
