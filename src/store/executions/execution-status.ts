import type { ExecutionStatus } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** The mirrored status of an execution of the organization; undefined when the mirror has no row for it (yet). */
export async function executionStatusOf(db: Queryable, organizationId: string, executionId: string): Promise<ExecutionStatus | undefined> {
  const found = await db.query<{ status: ExecutionStatus }>({
    name: 'executions/execution-status',
    text: 'SELECT status FROM executions WHERE id = $1 AND organization_id = $2',
    values: [executionId, organizationId],
  });
  return found.rows[0]?.status;
}
