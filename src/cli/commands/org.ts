/**
 * `wf org create NAME`: a new organization and its first admin key, straight in PostgreSQL
 * (no Temporal needed). The key is printed once and never again.
 */
import type pg from 'pg';
import { NotFoundError } from '../../client/errors';
import { createOrganization, type CreatedKey } from '../../client/keys';
import { withPostgres } from '../../client/unavailable';
import { loadConfig } from '../../config';
import { organizationExists } from '../../store/organizations/organization-exists';
import { createPool } from '../../store/pool';
import type { Queryable } from '../../store/query';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';

type Out = (line: string) => void;

/** Runs work on a short-lived pool (DATABASE_URL); a connection failure becomes exit 3. */
export async function withDatabase<T>(work: (db: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(loadConfig().databaseUrl, 2);
  try {
    return await withPostgres(() => work(pool));
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Exit 2 unless the organization exists. */
export async function requireOrganization(db: Queryable, organizationId: string): Promise<void> {
  if (!(await organizationExists(db, organizationId))) throw new NotFoundError('organization', organizationId);
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
