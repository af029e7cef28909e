import type { ExecutionStatus, Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/**
 * What a context view shows of the execution itself: its status and its input as stored (a
 * large one stays a reference; no `input` when it has none). Undefined when the mirror has no
 * such execution of the organization.
 */
export async function readContextExecution(db: Queryable, organizationId: string, executionId: string): Promise<{ status: ExecutionStatus; input?: Json } | undefined> {
  const found = await db.query<{ status: ExecutionStatus; input: Json | null; has_input: boolean }>({
    name: 'context-snapshots/read-context-execution',
    text: 'SELECT status, input, input IS NOT NULL AS has_input FROM executions WHERE id = $1 AND organization_id = $2',
    values: [executionId, organizationId],
  });
  const row = found.rows[0];
  if (!row) return undefined;
  return { status: row.status, ...(row.has_input ? { input: row.input } : {}) };
}
