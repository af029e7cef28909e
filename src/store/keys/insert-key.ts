import type { Role } from '../../common/keys';
import type { Queryable } from '../query';

/** A new key row; only the secret's hash is stored. */
export async function insertApiKey(db: Queryable, key: { keyId: string; organizationId: string; name: string | null; role: Role; secretHash: string }): Promise<void> {
  await db.query({
    text: 'INSERT INTO api_keys (id, organization_id, name, role, secret_hash) VALUES ($1, $2, $3, $4, $5)',
    values: [key.keyId, key.organizationId, key.name, key.role, key.secretHash],
  });
}
