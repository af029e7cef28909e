/**
 * `wf org create NAME`: a new organization and its first admin key, straight in PostgreSQL
 * (no Temporal needed). The key is printed once and never again.
 */
import type pg from 'pg';
import { createOrganization, type CreatedKey } from '../../api/keys';
import { asPostgresUnavailable, NotFoundError } from '../../client/errors';
import { loadConfig } from '../../config';
import type { Queryable } from '../../db/query';
import { createPool } from '../../db/pool';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';

type Out = (line: string) => void;

/** Runs work on a short-lived pool (DATABASE_URL); a connection failure becomes exit 3. */
export async function withDatabase<T>(work: (db: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(loadConfig().databaseUrl, 2);
  try {
    return await work(pool);
  } catch (error) {
    throw asPostgresUnavailable(error);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Exit 2 unless the organization exists. */
export async function requireOrganization(db: Queryable, organizationId: string): Promise<void> {
  const found = await db.query('SELECT 1 FROM organizations WHERE id = $1', [organizationId]);
  if ((found.rowCount ?? 0) === 0) throw new NotFoundError('organization', organizationId);
}

/** The JSON shape of DESIGN §7 for a new key (org create and key create). */
export function createdKeyJson(created: CreatedKey, name: string | null): Record<string, unknown> {
  return { organizationId: created.organizationId, name, keyId: created.keyId, apiKey: created.apiKey, role: created.role };
}

export async function orgCreateCommand(name: string, options: { json?: boolean }, out: Out): Promise<number> {
  const trimmed = name.trim();
  if (!trimmed) throw new CliError('an organization needs a non-empty NAME', EXIT.invalid);
  return withDatabase(async (db) => {
    const created = await createOrganization(db, trimmed);
    if (options.json) {
      out(JSON.stringify(createdKeyJson(created, created.name)));
      return EXIT.ok;
    }
    out(`created organization ${created.organizationId} (${JSON.stringify(created.name)})`);
    out(`admin API key ${created.keyId} (shown once, store it): ${created.apiKey}`);
    return EXIT.ok;
  });
}
