/** Triggers and events: an event of a type starts one execution per trigger of that type, idempotently. */
import { recordEvent } from '../store/events/record-event';
import { deleteTrigger as removeTrigger } from '../store/triggers/delete-trigger';
import { insertTrigger } from '../store/triggers/insert-trigger';
import { selectTriggers } from '../store/triggers/select-triggers';
import type { TriggerView } from '../store/triggers/trigger-view';
import type { Json } from '../workflows/graph/types';
import type { ClientDeps } from './deps';
import { NotFoundError } from './errors';
import { loadGraph } from './graphs';
import { startExecution } from './start';
import { checkTriggerFilter, filterVerdict } from './trigger-filter';
import { withPostgres } from './unavailable';

/** What an event answers: the executions started, and the triggers of its type whose filter kept them from starting. */
export interface PublishedEvent {
  eventId: string;
  duplicate: boolean;
  executionIds: string[];
  skipped: { triggerId: string; reason: string }[];
}

/** A trigger: events of `eventType` (passing `filter`, when given) start executions of the graph (latest version unless given). */
export async function createTrigger(deps: ClientDeps, organizationId: string, eventType: string, graphId: string, graphVersion?: number, filter?: string): Promise<TriggerView> {
  if (filter !== undefined) checkTriggerFilter(filter);
  await loadGraph(deps.pool, organizationId, graphId, graphVersion); // 404 when the graph is not stored
  return withPostgres(() => insertTrigger(deps.pool, organizationId, eventType, graphId, graphVersion, filter));
}

export async function listTriggers(deps: ClientDeps, organizationId: string): Promise<TriggerView[]> {
  return withPostgres(() => selectTriggers(deps.pool, organizationId));
}

export async function deleteTrigger(deps: ClientDeps, organizationId: string, triggerId: string): Promise<void> {
  if (!(await withPostgres(() => removeTrigger(deps.pool, organizationId, triggerId)))) throw new NotFoundError('trigger', triggerId);
}

/**
 * A domain event: starts one execution per matching trigger whose filter holds, with the
 * payload as input. Idempotent by event id: each execution's idempotency key is (event,
 * trigger), so a repeated or concurrent delivery starts nothing new and answers the same executions.
 */
export async function publishEvent(deps: ClientDeps, organizationId: string, event: { id: string; type: string; payload?: Json }): Promise<PublishedEvent> {
  const payload = event.payload === undefined ? {} : event.payload;
  const triggers = await withPostgres(() => selectTriggers(deps.pool, organizationId, event.type));
  const started: string[] = [];
  const skipped: PublishedEvent['skipped'] = [];
  for (const trigger of triggers) {
    const verdict = filterVerdict(trigger.filter, { id: event.id, type: event.type, payload });
    if (!verdict.pass) {
      skipped.push({ triggerId: trigger.triggerId, reason: verdict.reason });
      continue;
    }
    const graph = await loadGraph(deps.pool, organizationId, trigger.graphId, trigger.graphVersion ?? undefined);
    const execution = await startExecution(deps, { organizationId, graph, input: payload, idempotencyKey: `event:${event.id}:${trigger.triggerId}` });
    started.push(execution.executionId);
  }
  const recorded = await withPostgres(() => recordEvent(deps.pool, organizationId, event.id, event.type, payload, started));
  return { eventId: event.id, duplicate: recorded.duplicate, executionIds: recorded.duplicate && recorded.executionIds.length > 0 ? recorded.executionIds : started, skipped };
}
