/** Dead-letter operations: list, read, retry (from the start or resuming) and purge, each audited. */
import { WorkflowNotFoundError } from '@temporalio/client';
import { claimForRetry } from '../store/dead-letters/claim-for-retry';
import type { DeadLetterView } from '../store/dead-letters/dead-letter-view';
import { insertAudit } from '../store/dead-letters/insert-audit';
import { listDeadLetters as selectDeadLetters, type DeadLetterFilter } from '../store/dead-letters/list-dead-letters';
import { markResolved } from '../store/dead-letters/mark-resolved';
import { enqueueNotifications } from '../store/notifications/enqueue-notifications';
import { inTransaction, type Queryable } from '../store/query';
import { deadLetterResolvedNotice } from '../notifications/notices';
import { readDeadLetter } from '../store/dead-letters/read-dead-letter';
import { completedOutputs } from '../store/executions/completed-outputs';
import { executionOrigin } from '../store/executions/execution-origin';
import { resolveDeadLetterSignal, type DeadLetterResolution } from '../workflows/contracts/dead-letters';
import type { Json } from '../workflows/graph/types';
import type { ClientDeps } from './deps';
import { InvalidRequestError, NotFoundError } from './errors';
import { loadGraph } from './graphs';
import { newExecutionId } from './ids';
import { checkInput, startWorkflow, type StartedExecution } from './start';
import { asTemporalError, withPostgres } from './unavailable';

/** Open dead letters (and, with includeResolved, the others), newest first. */
export async function listDeadLetters(deps: ClientDeps, organizationId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterView[]> {
  return withPostgres(() => selectDeadLetters(deps.pool, organizationId, filter));
}

export async function deadLetter(deps: ClientDeps, organizationId: string, id: string): Promise<DeadLetterView> {
  const found = await withPostgres(() => readDeadLetter(deps.pool, organizationId, id));
  if (!found) throw new NotFoundError('dead letter', id);
  return found;
}

/** The letter, unless it is already resolved (InvalidRequestError). */
async function openDeadLetter(deps: ClientDeps, organizationId: string, id: string): Promise<DeadLetterView> {
  const letter = await deadLetter(deps, organizationId, id);
  if (letter.status === 'retried' || letter.status === 'purged') {
    throw new InvalidRequestError(`dead letter "${id}" is already ${letter.status}`, [{ path: '$.id', message: `dead letter is ${letter.status}` }]);
  }
  return letter;
}

/**
 * Retries a dead letter as a new execution linked to the original (`retryOf`). From the
 * start by default; `resume` reuses the original's completed outputs (those nodes do not
 * run again) and starts at the failed node(s). `input` replaces the execution input.
 */
/** A dead letter's new execution; `retryOf` is the failed execution it replaces. */
export type RetriedExecution = StartedExecution & { retryOf: string };

export async function retryDeadLetter(deps: ClientDeps, organizationId: string, id: string, options: { resume?: boolean; input?: Json; actor: string }): Promise<RetriedExecution> {
  const letter = await openDeadLetter(deps, organizationId, id);
  const origin = await withPostgres(() => executionOrigin(deps.pool, organizationId, letter.executionId));
  if (!origin) throw new NotFoundError('execution', letter.executionId);
  const input = options.input === undefined ? origin.input : options.input;
  checkInput(input);
  const graph = await loadGraph(deps.pool, organizationId, origin.graphId, origin.graphVersion);
  const seed = options.resume ? await withPostgres(() => completedOutputs(deps.pool, organizationId, letter.executionId)) : undefined;
  const executionId = await withPostgres(() => claimForRetry(deps.pool, organizationId, id, newExecutionId(graph.id)));
  if (!executionId) throw new InvalidRequestError(`dead letter "${id}" is already resolved`, [{ path: '$.id', message: 'dead letter is resolved' }]);
  const status = await startWorkflow(deps, { executionId, organizationId, graph, input, retryOf: letter.executionId, ...(seed ? { seed } : {}) });
  const action = options.resume ? 'resumed' : 'retried';
  await withPostgres(() =>
    resolveInTransaction(deps, organizationId, id, { status: 'retried', retryExecutionId: executionId }, options.actor, (client) =>
      insertAudit(client, organizationId, id, action, options.actor, { retryExecutionId: executionId, inputReplaced: options.input !== undefined, reused: seed?.map((s) => s.nodeId) ?? [] }),
    ),
  );
  await endDeadLetterWorkflow(deps, id, { action, by: options.actor, retryExecutionId: executionId });
  return { executionId, graphId: graph.id, graphVersion: graph.version, graphStored: 'existing', status, retryOf: letter.executionId };
}

/** Purges a dead letter: it leaves the list; an audit row keeps who purged it and when. */
export async function purgeDeadLetter(deps: ClientDeps, organizationId: string, id: string, actor: string): Promise<void> {
  const letter = await openDeadLetter(deps, organizationId, id);
  await withPostgres(() =>
    resolveInTransaction(deps, organizationId, id, { status: 'purged' }, actor, (client) =>
      insertAudit(client, organizationId, id, 'purged', actor, { executionId: letter.executionId, error: letter.error as unknown as Json }),
    ),
  );
  await endDeadLetterWorkflow(deps, id, { action: 'purged', by: actor });
}

/**
 * Marks the letter resolved and, only when this call resolved it, writes its audit row and
 * its dead_letter.resolved outbox rows, all in one transaction.
 */
async function resolveInTransaction(
  deps: ClientDeps,
  organizationId: string,
  id: string,
  resolution: { status: 'retried' | 'purged'; retryExecutionId?: string },
  actor: string,
  audit: (client: Queryable) => Promise<void>,
): Promise<void> {
  await inTransaction(deps.pool, async (client) => {
    const resolved = await markResolved(client, organizationId, id, resolution.status, actor);
    if (!resolved) return;
    await audit(client);
    await enqueueNotifications(client, deadLetterResolvedNotice(organizationId, resolved, resolution));
  });
}

/** Ends the dead letter's workflow; one already ended (or never started) is fine. */
async function endDeadLetterWorkflow(deps: ClientDeps, id: string, resolution: DeadLetterResolution): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(id).signal(resolveDeadLetterSignal, resolution);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw asTemporalError(error);
  }
}

/** The input of a dead letter's failed execution: what a retry starts from unless it is replaced. */
export async function deadLetterInput(deps: ClientDeps, organizationId: string, id: string): Promise<Json> {
  const letter = await deadLetter(deps, organizationId, id);
  const origin = await withPostgres(() => executionOrigin(deps.pool, organizationId, letter.executionId));
  if (!origin) throw new NotFoundError('execution', letter.executionId);
  return origin.input;
}
