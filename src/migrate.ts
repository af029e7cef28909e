/**
 * `npm run migrate`: the one step before workers and API processes start against a new or
 * upgraded deployment. It applies the pending migrations to DATABASE_URL, registers the
 * search attributes on the Temporal namespace (OrganizationId, GraphId, GraphVersion), and
 * gives the `default` organization its first admin key when it has none (printed once).
 * Each part is idempotent, so a deploy pipeline runs it every time; two at once are safe
 * (the migration tool and the first key each take a lock). Exit 0, or 1 with one line.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectTemporal } from './client/unavailable';
import { isEntryPoint, oneLine, runEntryPoint } from './common/entry-point';
import { loadConfig, redactUrl } from './config';
import { ensureFirstAdminKey } from './stack/first-admin-key';
import { ensureSearchAttributes } from './stack/search-attributes';
import { migrate } from './store/migrate';
import { createPool } from './store/pool';

async function main(): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const redacted = redactUrl(config.databaseUrl);
  const pool = createPool(config.databaseUrl);
  try {
    await pool.query('SELECT 1').catch((error: unknown) => {
      throw new Error(`PostgreSQL is unreachable at ${redacted} (DATABASE_URL): ${oneLine(error)}`, { cause: error });
    });
    const applied = await migrate(config.databaseUrl);
    say(`PostgreSQL: ${redacted}; migrations ${applied.length ? `applied: ${applied.join(', ')}` : 'up to date'}`);
    const connection = await connectTemporal(config);
    try {
      const added = await ensureSearchAttributes(connection, config.temporalNamespace);
      say(`Temporal:   ${config.temporalAddress}, namespace "${config.temporalNamespace}"; search attributes ${added.length ? `registered: ${added.join(', ')}` : 'present'}`);
    } finally {
      await connection.close();
    }
    const created = await ensureFirstAdminKey(pool, say);
    if (!created) say('API keys:   organization "default" has its keys');
  } finally {
    await pool.end();
  }
}

if (isEntryPoint(import.meta.url)) runEntryPoint('npm run migrate', main);
