/**
 * A Node script run as a child process (the examples' demo servers), its stdout kept as
 * lines so a test can wait for what it prints. stop() ends that one process by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './wait-for';

export interface ScriptProcess {
  lines: string[];
  /** The first line matching `pattern`, waited for up to `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function startScript(path: string, args: string[], env: Record<string, string> = {}): ScriptProcess {
  const child: ChildProcess = spawn(process.execPath, [path, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lines,
    waitForLine: (pattern, timeoutMs = 15_000) => waitFor(`${path} to print ${pattern}`, timeoutMs, async () => lines.find((line) => pattern.test(line))),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A port free on 127.0.0.1 just now (for a server that must know its URL before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
