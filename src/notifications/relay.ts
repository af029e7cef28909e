/**
 * The outbox relay: runs in every worker process and starts one delivery workflow per pending
 * notification that has none yet. The workflow id is fixed (`notify:<id>`) and duplicates are
 * rejected, so two relays (or a relay and a retry after a crash) start it once; a worker killed
 * between the fact and the delivery loses nothing, because the row waits in Postgres until a
 * relay somewhere starts it.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Pool } from 'pg';
import { markRelayed } from '../store/notifications/mark-relayed';
import { selectUnrelayed } from '../store/notifications/select-unrelayed';
import { NOTIFICATION_DELIVERY_WORKFLOW, notificationWorkflowId, type DeliveryRetry, type NotificationDeliveryInput } from '../workflows/contracts/notifications';

/** Rows started per poll; the next poll takes the rest. */
const RELAY_BATCH = 100;

export interface RelayDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  retry: DeliveryRetry;
}

/** Starts the delivery workflows of pending rows; returns how many rows it handed over. */
export async function relayPendingNotifications(deps: RelayDeps): Promise<number> {
  const ids = await selectUnrelayed(deps.pool, RELAY_BATCH);
  const handedOver: string[] = [];
  for (const notificationId of ids) {
    try {
      await startDelivery(deps, notificationId);
      handedOver.push(notificationId);
    } catch (error) {
      // Started by another relay, or by this one before a crash lost the mark: it exists, which is all we need.
      if (error instanceof WorkflowExecutionAlreadyStartedError) handedOver.push(notificationId);
      else {
        await markRelayed(deps.pool, handedOver);
        throw error;
      }
    }
  }
  await markRelayed(deps.pool, handedOver);
  return handedOver.length;
}

async function startDelivery(deps: RelayDeps, notificationId: string): Promise<void> {
  const input: NotificationDeliveryInput = { notificationId, retry: deps.retry };
  await deps.temporal.workflow.start(NOTIFICATION_DELIVERY_WORKFLOW, {
    workflowId: notificationWorkflowId(notificationId),
    taskQueue: deps.taskQueue,
    args: [input],
    // A delivered notification's workflow is closed: rejecting its id keeps it from being sent again.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
}
