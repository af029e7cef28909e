/**
 * The workflow's own bookkeeping calls, as local activities: no task-queue round trip, and
 * retried until Postgres answers, so a database outage delays the mirror but never fails an
 * execution.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

export const { mirrorFlush, requestConcurrencySlot, resolveSubgraphVersions, loadSubgraph } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
