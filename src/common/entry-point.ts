/**
 * What the long-running entry points (`npm start`, `npm run worker`, `npm run api`) share
 * about their process: exit 0 after a clean shutdown, exit 1 with one line (never a stack)
 * when they cannot start, and SIGINT/SIGTERM as the request to stop.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { isMigrated } from '../store/schema-migrated';
import { sanitizeMessage } from './sanitize';

/** The module at `moduleUrl` is the script node was started with (not an import of it). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** One line for a person: the message without stack frames, continuation lines or secrets. */
export function oneLine(error: unknown): string {
  const message = sanitizeMessage(error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  if (message) return message;
  // Node's AggregateError (every address of a host refused) has no message of its own.
  const first = (error as { errors?: unknown[] } | null)?.errors?.[0];
  if (first) return oneLine(first);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
}

/** Runs `main`, then exits 0; when it throws, prints `name: message` on stderr and exits 1. */
export function runEntryPoint(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name}: ${oneLine(error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Resolves on the first SIGINT or SIGTERM. Installed at once, so a signal during start-up is
 * not lost (the process finishes starting, then stops), and kept, so that a repeated signal
 * (a terminal's Ctrl-C reaches npm, tsx and node alike, and npm and tsx pass theirs on) does
 * not end the process while it shuts down cleanly.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}

/**
 * Fails start-up with a message a person can act on when PostgreSQL cannot be reached or has
 * not been migrated (a worker or API would otherwise start and fail every request).
 */
export async function checkDatabase(pool: Pool, redactedUrl: string): Promise<void> {
  let migrated: boolean;
  try {
    migrated = await isMigrated(pool);
  } catch (error) {
    throw new Error(`PostgreSQL is unreachable at ${redactedUrl} (DATABASE_URL): ${oneLine(error)}`, { cause: error });
  }
  if (!migrated) throw new Error(`the database at ${redactedUrl} has no engine schema: apply the migrations first (npm run migrate)`);
}
