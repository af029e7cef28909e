/**
 * How a benchmark entry (bench/run.ts, bench/knowledge.ts, bench/lag-rss-only.ts) ends: the
 * process exits with the run's code shortly after `main` settles, whatever the SDK left
 * running; Ctrl-C (an "interrupted by" error, everything already stopped) exits 130 quietly.
 */
import { progress } from './settings';

export function runBenchEntry(main: () => Promise<void>): void {
  main().then(
    () => {
      // Anything the SDK left behind must not keep the process alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
    },
    (error: unknown) => {
      if (error instanceof Error && error.message.startsWith('interrupted by')) {
        // Everything is stopped; calls still in flight would only fail noisily on closed channels.
        progress('stopped');
        process.exit(130);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 2000).unref();
    },
  );
}
