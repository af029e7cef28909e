/** Whether a database has the pgvector column (asked once per pool: migrations do not change under a running process). */
import type { Pool } from 'pg';
import { hasVectorColumn } from '../store/knowledge/vector-support';

const known = new WeakMap<Pool, Promise<boolean>>();

export function vectorSupport(pool: Pool): Promise<boolean> {
  let answer = known.get(pool);
  if (!answer) {
    answer = hasVectorColumn(pool);
    answer.catch(() => known.delete(pool));
    known.set(pool, answer);
  }
  return answer;
}
