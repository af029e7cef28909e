import type { Queryable } from '../query';
import type { DeadLetterRecord, ExecutionUpdate } from '../../workflows/contracts/mirror';

/** The dead-letter row of a failed execution; idempotent on its id, so a retried flush is harmless. True when this call inserted it. */
export async function insertDeadLetter(db: Queryable, executionId: string, organizationId: string, execution: ExecutionUpdate, record: DeadLetterRecord): Promise<boolean> {
  const inserted = await db.query({
    name: 'mirror/insert-dead-letter',
    text: `INSERT INTO dead_letters (id, organization_id, execution_id, graph_id, graph_version, failed_nodes, error)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7::jsonb)
     ON CONFLICT (id) DO NOTHING`,
    values: [record.id, organizationId, executionId, execution.graphId, execution.graphVersion, record.failedNodes, JSON.stringify(record.error)],
  });
  return (inserted.rowCount ?? 0) > 0;
}
