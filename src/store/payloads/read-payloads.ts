import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

/** The stored values of `ids` that belong to the organization (another's are never found). */
export async function readPayloads(db: Queryable, organizationId: string, ids: string[]): Promise<Map<string, Json>> {
  if (ids.length === 0) return new Map();
  const found = await db.query<{ id: string; data: Json }>({
    name: 'payloads/read',
    text: `SELECT id, data FROM payloads WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
    values: [organizationId, ids],
  });
  return new Map(found.rows.map((row) => [row.id, row.data]));
}
