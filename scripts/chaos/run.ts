/**
 * `npm run chaos -- [--executions 100 --workers 3 --kills 10 ...]` (DESIGN §14): the fault
 * suite with its counts as arguments, on a stack of its own (scripts/chaos/run-chaos.ts, run
 * in a child process: scripts/chaos/suite-process.ts says why). Progress goes to stderr, the
 * figures to stdout (one JSON object with --json). Exit 0 only when the verdict is OK, 1 when
 * it is not or the run failed, 2 for bad arguments.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../test/helpers/worker-process';
import { parseChaosArgs, USAGE, type ChaosOptions } from './options';
import { formatReport, type ChaosReport } from './report';

let options: ChaosOptions;
try {
  options = parseChaosArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${USAGE}\n`);
  process.exit(2);
}

const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos/suite-process.ts'], {
  cwd: REPO_ROOT,
  env: { ...process.env, CHAOS_OPTIONS: JSON.stringify(options) },
  // The child's stdout (and its dev server's) is our stderr.
  stdio: ['inherit', process.stderr, 'inherit', 'ipc'],
});
let report: ChaosReport | undefined;
child.on('message', (message) => (report = message as ChaosReport));
// Ctrl-C reaches the child too; we wait for it to leave.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => {
  if (!report) {
    process.stderr.write(`chaos: the run ended without figures (${signal ?? `exit ${code}`})\n`);
    process.exit(1);
  }
  process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  process.exit(report.verdict.ok ? 0 : 1);
});
