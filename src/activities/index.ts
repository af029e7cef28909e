/**
 * The activity map: one activity per activity-backed node type, plus the mirror flush and the
 * slot bookkeeping the workflows run as local activities. Built from injected dependencies, no globals.
 */
import { Context } from '@temporalio/activity';
import type { MirrorBatch } from '../workflows/contracts/mirror';
import type { ActivityDeps } from './deps';
import { flushMirrorBatch } from './mirror/flush';
import { mirrorFlushFailure } from './mirror/refusal';
import type { ActivityNodeTypeName } from '../workflows/graph/node-types';
import type { NodeActivityInput, NodeActivityResult } from '../workflows/contracts/node-activity';
import { nodeActivity, type NodeWork } from './node-activity';
import { NODE_WORK } from './nodes';
import { endedExecutions } from './ended-executions';
import { requestConcurrencySlot } from './request-slot';
import { deliverNotification } from './notifications/deliver';
import { markNotificationFailed } from '../store/notifications/mark-failed';
import { subgraphActivities } from './subgraphs';
import { knowledgeActivities } from './knowledge';

export type { ActivityDeps } from './deps';

type NodeActivities = { [K in ActivityNodeTypeName]: (input: NodeActivityInput) => Promise<NodeActivityResult> };

/** One activity per activity node type, named after the type (the workflow schedules it by that name). */
function nodeActivities(deps: ActivityDeps): NodeActivities {
  // Each implementation's config type was checked against its schema in NODE_WORK; here they
  // are one list, so the config type is erased (the workflow validated every config).
  const entries = Object.entries(NODE_WORK).map(([type, work]) => [type, nodeActivity(deps, work as NodeWork<never>)]);
  return Object.fromEntries(entries) as NodeActivities;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...nodeActivities(deps),
    async mirrorFlush(batch: MirrorBatch): Promise<void> {
      try {
        await flushMirrorBatch(deps.pool, batch);
      } catch (error) {
        const failure = mirrorFlushFailure(error, Context.current().info.attempt);
        if (failure !== error) deps.logger.warn({ executionId: batch.executionId, error: (failure as Error).message }, 'mirror write refused');
        throw failure;
      }
    },
    requestConcurrencySlot,
    endedExecutions,
    ...subgraphActivities(deps),
    ...knowledgeActivities(deps),
    deliverNotification: (notificationId: string) => deliverNotification(deps, notificationId),
    markNotificationFailed: (notificationId: string, reason: string | null, fallback: string | null = null) => markNotificationFailed(deps.pool, notificationId, reason, fallback),
  };
}
