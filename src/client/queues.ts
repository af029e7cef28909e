import { countOrganizationConcurrencySlots } from '../store/metrics/count-organization-concurrency-slots';
import type { ClientDeps } from './deps';
import { withPostgres } from './unavailable';

/** A concurrency key in use: executions holding one of its slots and waiting for one, as the mirror counts them. */
export interface QueueInUse {
  ref: string;
  running: number;
  queued: number;
}

/** The organization's concurrency keys with an execution running or queued, by name. */
export async function queuesInUse(deps: ClientDeps, organizationId: string): Promise<QueueInUse[]> {
  const counts = await withPostgres(() => countOrganizationConcurrencySlots(deps.pool, organizationId));
  const byKey = new Map<string, QueueInUse>();
  for (const count of counts) {
    const queue = byKey.get(count.key) ?? { ref: count.key, running: 0, queued: 0 };
    queue[count.status === 'running' ? 'running' : 'queued'] += count.count;
    byKey.set(count.key, queue);
  }
  return [...byKey.values()].sort((a, b) => a.ref.localeCompare(b.ref));
}
