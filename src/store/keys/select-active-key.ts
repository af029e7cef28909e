import type { Role } from '../../common/keys';
import type { Queryable } from '../query';

/** A key that is not revoked, with its stored hash (every authenticated request reads one). */
export async function selectActiveKey(db: Queryable, keyId: string): Promise<{ organizationId: string; role: Role; secretHash: string } | undefined> {
  const found = await db.query<{ organization_id: string; role: Role; secret_hash: string }>({
    name: 'keys/select-active-key',
    text: 'SELECT organization_id, role, secret_hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL',
    values: [keyId],
  });
  const row = found.rows[0];
  return row ? { organizationId: row.organization_id, role: row.role, secretHash: row.secret_hash } : undefined;
}
