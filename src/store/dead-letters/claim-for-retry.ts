import type { Queryable } from '../query';

/**
 * Claims an open dead letter for a retry with the given new execution id. A letter already
 * claimed (a retry that died half-way) keeps its first new id, so a second try starts the
 * same execution and never two. Undefined when the letter is resolved (or absent).
 */
export async function claimForRetry(db: Queryable, organizationId: string, id: string, newExecutionId: string): Promise<string | undefined> {
  const claimed = await db.query<{ retry_execution_id: string }>({
    text: `UPDATE dead_letters SET status = 'retrying', retry_execution_id = coalesce(retry_execution_id, $3)
      WHERE id = $1 AND organization_id = $2 AND status IN ('open', 'retrying')
      RETURNING retry_execution_id`,
    values: [id, organizationId, newExecutionId],
  });
  return claimed.rows[0]?.retry_execution_id;
}
