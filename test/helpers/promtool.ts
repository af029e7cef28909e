/**
 * `promtool check metrics` (Debian's prometheus package) on a scrape: the parser and linter
 * Prometheus users run. Missing promtool fails the test instead of skipping it: a check that
 * silently does not run proves nothing. .ci/run installs it.
 */
import { spawn } from 'node:child_process';

export interface PromtoolResult {
  code: number | null;
  /** What promtool printed: the problems it found, one a line. */
  output: string;
}

export function promtoolCheckMetrics(text: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error("promtool is not on PATH: install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does") : error),
    );
    child.once('close', (code) => resolve({ code, output }));
    // A promtool that cannot start also fails the write; the 'error' above says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
