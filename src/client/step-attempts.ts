import { listStepAttempts, type StepAttemptView } from '../store/executions/list-step-attempts';
import type { ClientDeps } from './deps';
import { executionStatus } from './executions';
import { withPostgres } from './unavailable';

/** The attempts of one step; NotFoundError for an execution of another organization (or none). */
export async function stepAttempts(deps: ClientDeps, organizationId: string, executionId: string, nodeId: string): Promise<StepAttemptView[]> {
  await executionStatus(deps, organizationId, executionId);
  return withPostgres(() => listStepAttempts(deps.pool, organizationId, executionId, nodeId));
}
