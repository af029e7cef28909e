import type { Queryable } from '../query';
import { DEAD_LETTER_COLUMNS, deadLetterView, type DeadLetterRow, type DeadLetterView } from './dead-letter-view';

export async function readDeadLetter(db: Queryable, organizationId: string, id: string): Promise<DeadLetterView | undefined> {
  const found = await db.query<DeadLetterRow>({
    name: 'dead-letters/read-dead-letter',
    text: `SELECT ${DEAD_LETTER_COLUMNS} FROM dead_letters WHERE id = $1 AND organization_id = $2`,
    values: [id, organizationId],
  });
  return found.rows[0] ? deadLetterView(found.rows[0]) : undefined;
}
