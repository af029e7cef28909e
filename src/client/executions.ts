/** Reading executions: status from the mirror (Temporal vouching for a fresh one), waiting for the end, listing. */
import { WorkflowFailedError } from '@temporalio/client';
import { searchAttributeKeys } from '../common/workflow-tags';
import { decodeExecutionCursor } from '../store/executions/execution-cursor';
import { executionOrganization } from '../store/executions/execution-organization';
import { listExecutions as selectExecutions, type ExecutionFilter, type ExecutionPage } from '../store/executions/list-executions';
import type { ExecutionView } from '../store/executions/read-execution';
import { mirrorStatus } from './mirror-status';
import { GRAPH_WORKFLOW } from '../workflows/contracts/names';
import type { ClientDeps } from './deps';
import { InvalidRequestError, NotFoundError } from './errors';
import { asTemporalError, withPostgres } from './unavailable';

/**
 * Status and steps from the mirror, scoped to the organization. Right after a start the
 * mirror may not have the row yet (one local activity away): Temporal then vouches for it
 * and it is reported running with no steps yet.
 */
export async function executionStatus(deps: ClientDeps, organizationId: string, executionId: string): Promise<ExecutionView> {
  const view = await mirrorStatus(deps.pool, organizationId, executionId);
  if (view) return view;
  const description = await describeOwned(deps, organizationId, executionId);
  return {
    executionId,
    organizationId,
    graphId: description.typedSearchAttributes.get(searchAttributeKeys.graphId) ?? '',
    graphVersion: description.typedSearchAttributes.get(searchAttributeKeys.graphVersion) ?? 0,
    status: 'running',
    output: null,
    error: null,
    startedAt: description.startTime.toISOString(),
    finishedAt: null,
    steps: {},
  };
}

/** Waits until the execution ends, then returns it as the mirror shows it. */
export async function waitForEnd(deps: ClientDeps, organizationId: string, executionId: string): Promise<ExecutionView> {
  await ensureVisible(deps, organizationId, executionId);
  try {
    await deps.temporal.workflow.getHandle(executionId).result();
  } catch (error) {
    // A failed, cancelled or timed-out run is an outcome, read from the mirror below.
    if (!(error instanceof WorkflowFailedError)) throw asTemporalError(error, executionId);
  }
  return executionStatus(deps, organizationId, executionId);
}

/** Executions of the organization, newest first, paged. */
export async function listExecutions(deps: ClientDeps, organizationId: string, filter: ExecutionFilter = {}): Promise<ExecutionPage> {
  if (filter.cursor !== undefined && !decodeExecutionCursor(filter.cursor)) {
    throw new InvalidRequestError('cursor is invalid', [{ path: '$.cursor', message: "must be a previous page's nextCursor" }]);
  }
  return withPostgres(() => selectExecutions(deps.pool, organizationId, filter));
}

/**
 * Refuses an execution of another organization. One this client started is known; otherwise the
 * mirror row may lag the start by one local activity: fall back to Temporal to tell "not yet" from "no such".
 */
async function ensureVisible(deps: ClientDeps, organizationId: string, executionId: string): Promise<void> {
  if (deps.memory.startedBy(executionId) === organizationId) return;
  const owner = await withPostgres(() => executionOrganization(deps.pool, executionId));
  if (owner !== undefined) {
    if (owner !== organizationId) throw new NotFoundError('execution', executionId);
    return;
  }
  await describeOwned(deps, organizationId, executionId);
}

/** Temporal's description of an execution workflow of this organization; NotFoundError otherwise. */
async function describeOwned(deps: ClientDeps, organizationId: string, executionId: string) {
  let description;
  try {
    description = await deps.temporal.workflow.getHandle(executionId).describe();
  } catch (error) {
    throw asTemporalError(error, executionId);
  }
  if (description.typedSearchAttributes.get(searchAttributeKeys.organizationId) !== organizationId || description.type !== GRAPH_WORKFLOW) {
    throw new NotFoundError('execution', executionId);
  }
  return description;
}
