/**
 * One workflow per dead letter: it holds the failed execution in Temporal (findable in the
 * Web UI beside its execution) until an operator retries, resumes or purges it; the client
 * then signals how it was resolved. It waits on a signal only, so its history stays tiny.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { resolveDeadLetterSignal, type DeadLetterArgs, type DeadLetterResolution } from './contracts/dead-letters';

export async function deadLetter(_args: DeadLetterArgs): Promise<DeadLetterResolution> {
  let resolution: DeadLetterResolution | undefined;
  setHandler(resolveDeadLetterSignal, (received) => {
    resolution ??= received;
  });
  await condition(() => resolution !== undefined);
  return resolution!;
}
