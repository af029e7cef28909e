import type { Queryable } from '../query';
import type { ContextSnapshotSummary } from './context-view';

/** An execution's snapshots in order, each with the nodes its batch decided (sorted); none when not the organization's. */
export async function listContextSnapshots(db: Queryable, organizationId: string, executionId: string): Promise<ContextSnapshotSummary[]> {
  const found = await db.query<{ sequence: number; taken_at: string; node_ids: string[] }>({
    name: 'context-snapshots/list',
    text: `SELECT sequence, taken_at, ARRAY(SELECT k FROM jsonb_object_keys(decided) AS k ORDER BY k) AS node_ids
       FROM execution_context_snapshots WHERE execution_id = $1 AND organization_id = $2
      ORDER BY sequence`,
    values: [executionId, organizationId],
  });
  return found.rows.map((row) => ({ sequence: row.sequence, takenAt: row.taken_at, nodeIds: row.node_ids }));
}
