import type { Queryable } from '../query';

/** Revokes an active key (of `organizationId`, when given); false when there was none. */
export async function revokeApiKey(db: Queryable, organizationId: string | undefined, keyId: string): Promise<boolean> {
  const revoked = await db.query({
    text: 'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND ($2::text IS NULL OR organization_id = $2) AND revoked_at IS NULL',
    values: [keyId, organizationId ?? null],
  });
  return (revoked.rowCount ?? 0) > 0;
}
