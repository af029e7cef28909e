/**
 * The chaos run itself, as a child of `npm run chaos` (scripts/chaos/run.ts). The Temporal dev
 * server prints its banner on the stdout it inherits, and it inherits this process's, which
 * the parent points at its own stderr: so the parent's stdout carries the figures alone. The
 * report goes back to the parent over IPC.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ChaosOptions } from './options';
import { runChaos } from './run-chaos';

const options = JSON.parse(process.env.CHAOS_OPTIONS ?? '{}') as ChaosOptions;
// Before anything touches the native runtime (the dev server is started through it too).
Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
const log = (line: string): void => void process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
// Ctrl-C reaches the whole process group (workers and servers stop on their own); leave at once.
process.once('SIGINT', () => process.exit(130));

runChaos(options, log).then(
  (report) => process.send!(report, () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
