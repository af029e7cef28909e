/** A failure to reach PostgreSQL as UnavailableError('postgres') (CLI exit 3, HTTP 503); other errors pass through. */
import { UnavailableError } from './errors';

const POSTGRES_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03', '08006', '08001']);

/** A Postgres connection failure as UnavailableError; other errors pass through. */
export function asPostgresUnavailable(error: unknown): unknown {
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if ((code && POSTGRES_CONNECTION_CODES.has(code)) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
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
