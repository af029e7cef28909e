/**
 * Asks the FIFO slots workflow of a concurrency key for a slot, starting that workflow if it
 * is not running (signal-with-start, so no request is lost between the two). Idempotent: the
 * slots workflow keeps only the first request of an execution.
 */
import { Context } from '@temporalio/activity';
import { SLOTS_WORKFLOW, slotsWorkflowId } from '../workflows/contracts/names';
import { acquireSlotSignal, type SlotRequest, type SlotsArgs } from '../workflows/contracts/slots';

export async function requestConcurrencySlot(input: { organizationId: string; key: string; request: SlotRequest }): Promise<void> {
  const context = Context.current();
  const args: SlotsArgs = { organizationId: input.organizationId, key: input.key };
  await context.client.workflow.signalWithStart(SLOTS_WORKFLOW, {
    workflowId: slotsWorkflowId(input.organizationId, input.key),
    taskQueue: context.info.taskQueue,
    args: [args],
    signal: acquireSlotSignal,
    signalArgs: [input.request],
  });
}
