/**
 * Which failed mirror flushes are retried. An outage or contention is retried for as long
 * as it lasts (the local activity's policy has no attempt limit); a statement the database
 * refuses becomes a non-retryable MirrorWriteRefused: at once for data and constraint
 * errors, which never pass, after a few attempts for anything else we cannot classify.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { sanitizeMessage } from '../../common/sanitize';
import { isTransientDatabaseError } from '../../store/database-errors';
import { MIRROR_WRITE_REFUSED } from '../../workflows/contracts/mirror';

/** Attempts given to an error that is neither transient nor a data/constraint refusal. */
const ATTEMPTS_FOR_UNCLASSIFIED = 5;
/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation). */
const REFUSED_CLASSES = ['22', '23'];

export function mirrorFlushFailure(error: unknown, attempt: number): unknown {
  if (isTransientDatabaseError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const refused = typeof code === 'string' && REFUSED_CLASSES.includes(code.slice(0, 2));
  if (!refused && attempt < ATTEMPTS_FOR_UNCLASSIFIED) return error;
  const message = sanitizeMessage(error instanceof Error ? error.message : String(error));
  return ApplicationFailure.nonRetryable(`the database refused the mirror write${typeof code === 'string' ? ` (${code})` : ''}: ${message}`, MIRROR_WRITE_REFUSED);
}
