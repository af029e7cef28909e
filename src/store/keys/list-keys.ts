import type { Role } from '../../common/keys';
import type { Queryable } from '../query';

/** A key as listed: never its secret. */
export interface KeyView {
  keyId: string;
  name: string | null;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(db: Queryable, organizationId: string): Promise<KeyView[]> {
  const found = await db.query<{ id: string; name: string | null; role: Role; created_at: string; revoked_at: string | null }>({
    text: 'SELECT id, name, role, created_at, revoked_at FROM api_keys WHERE organization_id = $1 ORDER BY created_at',
    values: [organizationId],
  });
  return found.rows.map((row) => ({ keyId: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at }));
}
