/** An execution's context at one snapshot (DESIGN §12), Temporal vouching for one the mirror has not seen yet. */
import type { ExecutionContextView } from '../store/context-snapshots/context-view';
import type { ClientDeps } from './deps';
import { executionStatus } from './executions';
import { emptyContext, mirrorContext } from './mirror-context';

/**
 * The context of an execution of the organization at `sequence` (default the latest) and the
 * list of its snapshots. NotFoundError for an unknown execution or another organization's;
 * InvalidRequestError for a sequence outside 1..latest.
 */
export async function executionContext(deps: ClientDeps, organizationId: string, executionId: string, sequence?: number): Promise<ExecutionContextView> {
  const view = await mirrorContext(deps.pool, organizationId, executionId, sequence);
  if (view) return view;
  // Right after a start the mirror may lack the row: NotFoundError unless Temporal has it, for this organization.
  const { status } = await executionStatus(deps, organizationId, executionId);
  return (await mirrorContext(deps.pool, organizationId, executionId, sequence)) ?? emptyContext(executionId, status, sequence);
}
