/**
 * The activity map: one activity per activity-backed node type, plus the mirror flush the
 * workflow runs as a local activity. Built from injected dependencies, no globals.
 */
import type { MirrorBatch } from '../workflows/contracts/mirror';
import type { ActivityDeps } from './deps';
import { flushMirrorBatch } from './mirror/flush';
import { nodeActivity } from './node-activity';
import { runMock } from './nodes/mock';
import { requestConcurrencySlot } from './request-slot';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    mock: nodeActivity(deps, runMock),
    async mirrorFlush(batch: MirrorBatch): Promise<void> {
      await flushMirrorBatch(deps.pool, batch);
    },
    requestConcurrencySlot,
  };
}
