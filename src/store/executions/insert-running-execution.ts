import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/**
 * An execution row marked running, written before anything runs it: for a driver that runs
 * workflows of its own whose activities write steps (their foreign key needs the row). The
 * bench's `baseline-bare` system; the engine's own rows come from the mirror (mirror/upsert-execution.ts).
 */
export async function insertRunningExecution(db: Queryable, execution: { executionId: string; organizationId: string; graphId: string; graphVersion: number; input: Json }): Promise<void> {
  await db.query({
    text: `INSERT INTO executions (id, organization_id, graph_id, graph_version, status, input, workflow_id, started_at)
           VALUES ($1, $2, $3, $4, 'running', $5::jsonb, $1, now())`,
    values: [execution.executionId, execution.organizationId, execution.graphId, execution.graphVersion, JSON.stringify(execution.input)],
  });
}
