/**
 * A worker as a real child process (`node --import tsx <script>`), so that it can be killed
 * with SIGKILL like a crashed host: faults.test.ts and the chaos suite (scripts/chaos).
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  readonly pid: number;
  /** The Temporal identity the worker reports (the SDK's default, `pid@host`): history names it. */
  readonly identity: string;
  /** Resolves once a line of its output matches `readyLine`; rejects when it exits first. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** The last few KB of its stderr, for a failure message. */
  stderrTail(): string;
}

export interface WorkerProcessOptions {
  /** Script path relative to the repository root, e.g. `src/worker.ts`. */
  script: string;
  env: Record<string, string>;
  /** A line on stdout or stderr that says the worker polls; without it, `ready` resolves at spawn. */
  readyLine?: RegExp;
}

export function spawnWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.script}`);
  const pid = child.pid;
  let stderr = '';
  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve((exitState = { code, signal })));
  });
  const ready = new Promise<void>((resolve, reject) => {
    if (!options.readyLine) return resolve();
    const watch = (chunk: Buffer): void => {
      if (options.readyLine!.test(chunk.toString('utf8'))) resolve();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    void exited.then((state) => reject(new Error(`${options.script} exited (${state.signal ?? state.code}) before it was ready:\n${stderr}`)));
  });
  ready.catch(() => undefined); // a caller that never awaits it must not crash the process
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  });
  return {
    pid,
    identity: `${pid}@${hostname()}`,
    ready,
    exited,
    running: () => exitState === undefined,
    kill: (signal) => {
      if (exitState === undefined) child.kill(signal);
    },
    stderrTail: () => stderr,
  };
}
