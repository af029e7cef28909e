import type { Queryable } from '../query';
import { DEAD_LETTER_COLUMNS, deadLetterView, type DeadLetterRow, type DeadLetterView } from './dead-letter-view';

export interface DeadLetterFilter {
  graphId?: string;
  /** Only dead letters at most this many milliseconds old. */
  maxAgeMs?: number;
  /** Include retried and purged ones too. */
  includeResolved?: boolean;
  limit?: number;
}

/** Open dead letters (and, with includeResolved, the others), newest first. */
export async function listDeadLetters(db: Queryable, organizationId: string, filter: DeadLetterFilter = {}): Promise<DeadLetterView[]> {
  const found = await db.query<DeadLetterRow>({
    name: 'dead-letters/list-dead-letters',
    text: `SELECT ${DEAD_LETTER_COLUMNS} FROM dead_letters
      WHERE organization_id = $1
        AND ($2::text IS NULL OR graph_id = $2)
        AND ($3::bigint IS NULL OR created_at >= now() - make_interval(secs => $3::bigint / 1000.0))
        AND ($4::boolean OR status IN ('open', 'retrying'))
      ORDER BY created_at DESC
      LIMIT $5`,
    values: [organizationId, filter.graphId ?? null, filter.maxAgeMs ?? null, filter.includeResolved ?? false, filter.limit ?? 500],
  });
  return found.rows.map(deadLetterView);
}
