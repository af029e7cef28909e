/**
 * One mirror flush from the workflow. Outages are retried by the local activity for as long
 * as they last; a batch the database refuses for good (MirrorWriteRefused) must not stall
 * the execution, which is Temporal's to run, not the mirror's. So it is logged and written
 * again in leaner forms: first without the step outputs, the likeliest to carry what was
 * refused, then the execution row (without input and output) and dead letter alone, so the
 * mirror still shows how the execution ended.
 */
import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { MIRROR_WRITE_REFUSED, type MirrorBatch } from './contracts/mirror';
import { mirrorFlush } from './local-activities';

/** The refusal, whether the SDK hands it over bare or wrapped in an ActivityFailure. */
function refusal(error: unknown): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === MIRROR_WRITE_REFUSED ? failure : undefined;
}

function withoutStepOutputs(batch: MirrorBatch): MirrorBatch {
  return { ...batch, steps: batch.steps.map((step) => ({ ...step, output: undefined })) };
}

function executionOnly(batch: MirrorBatch): MirrorBatch {
  const execution = batch.execution ? { ...batch.execution, input: undefined, output: undefined } : undefined;
  return { ...batch, execution, steps: [] };
}

/** Writes `batch`; returns false when the database refused it (a leaner form may have landed). */
export async function writeMirror(batch: MirrorBatch): Promise<boolean> {
  // The leaner forms are built only when a form before them is refused (they copy every step).
  const forms = [() => batch, () => withoutStepOutputs(batch), ...(batch.execution || batch.deadLetter ? [() => executionOnly(batch)] : [])];
  for (const [index, form] of forms.entries()) {
    try {
      await mirrorFlush(form());
      return index === 0;
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      const message = refused.message;
      log.warn(index === forms.length - 1 ? 'mirror write refused; the mirror misses this batch' : 'mirror write refused; writing a leaner batch', { executionId: batch.executionId, error: message });
    }
  }
  return false;
}
