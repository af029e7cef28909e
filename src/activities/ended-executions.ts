/**
 * Of some workflow ids, those whose latest run no longer runs: the slots workflow frees the
 * slots they hold (src/workflows/slot-holders.ts). Asked of Temporal itself (describe), not
 * of the mirror or visibility: a terminated run writes no mirror row, and visibility lags and
 * still lists the run a reset replaced.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';

export async function endedExecutions(workflowIds: string[]): Promise<string[]> {
  const { client } = Context.current();
  const ended = await Promise.all(
    workflowIds.map(async (workflowId) => {
      try {
        const description = await client.workflow.getHandle(workflowId).describe();
        return description.status.name === 'RUNNING' ? undefined : workflowId;
      } catch (error) {
        // Not found: gone for good (past retention). Anything else (Temporal slow or away)
        // tells nothing; the id is asked again at the next check.
        return error instanceof WorkflowNotFoundError ? workflowId : undefined;
      }
    }),
  );
  return ended.filter((id): id is string => id !== undefined);
}
