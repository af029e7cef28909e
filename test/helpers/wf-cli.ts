/** Runs the `wf` command as a user would (bin/wf.js in a child process), with only the environment given. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WF_BIN = fileURLToPath(new URL('../../bin/wf.js', import.meta.url));

export interface WfResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runWf(args: string[], env: Record<string, string | undefined>): Promise<WfResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [WF_BIN, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
