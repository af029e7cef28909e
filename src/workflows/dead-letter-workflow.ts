/**
 * One workflow per dead letter: it holds the failed execution in Temporal (findable in the
 * Web UI beside its execution) until an operator retries, resumes or purges it; the client
 * then signals how it was resolved. It waits on a signal only, so its history stays tiny.
 */
import { condition, patched } from '@temporalio/workflow';
import { isRecord, setCheckedSignalHandler } from './checked-signal';
import { resolveDeadLetterSignal, type DeadLetterArgs, type DeadLetterResolution } from './contracts/dead-letters';

/** Before it, any payload of `resolve` ended the workflow (a null one with a null result). */
const CHECKED_RESOLUTION_PATCH = 'dead-letter-checked-resolution';
const ACTIONS: readonly string[] = ['retried', 'resumed', 'purged'] satisfies DeadLetterResolution['action'][];

function isResolution(value: unknown): value is DeadLetterResolution {
  return (
    isRecord(value) &&
    typeof value.action === 'string' &&
    ACTIONS.includes(value.action) &&
    typeof value.by === 'string' &&
    (value.retryExecutionId === undefined || typeof value.retryExecutionId === 'string')
  );
}

export async function deadLetter(args: DeadLetterArgs): Promise<DeadLetterResolution> {
  let resolution: DeadLetterResolution | undefined;
  // A malformed payload is dropped, except in histories from before the check, where it was
  // taken: patched() is asked only then, so well-formed histories are untouched either way.
  const accepts = (value: unknown): value is DeadLetterResolution => isResolution(value) || (value !== undefined && !patched(CHECKED_RESOLUTION_PATCH));
  setCheckedSignalHandler(
    resolveDeadLetterSignal.name,
    accepts,
    (received) => {
      resolution ??= received;
    },
    { deadLetterId: args.deadLetterId },
  );
  await condition(() => resolution !== undefined);
  return resolution!;
}
