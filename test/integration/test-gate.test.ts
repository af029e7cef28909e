/**
 * The test gate itself: a failing test must fail the run. Once, `vitest run` printed
 * "1 failed" and exited 0 (a library's exit hook called process.exit(0)), so CI passed
 * whatever broke. Here a child vitest, with the project's own config and global setup, runs
 * a deliberately failing fixture and a passing one, and their exit codes are checked.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

interface Run {
  code: number | null;
  output: string;
}

function runFixture(name: string): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: nothing of this (parent) vitest run leaks into the child.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
    const child = execFile(
      process.execPath,
      [VITEST, 'run', '--config', 'test/fixtures/gate/vitest.config.ts', `test/fixtures/gate/${name}`],
      { cwd: ROOT, env, timeout: 150_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });
}

describe('the test gate', () => {
  test('a run with a failing test exits non-zero', { timeout: 180_000 }, async () => {
    const run = await runFixture('failing.check.ts');
    expect(run.output).toMatch(/1 failed/);
    expect(run.code, run.output).toBe(1);
  });

  test('a run whose tests all pass exits 0', { timeout: 180_000 }, async () => {
    const run = await runFixture('passing.check.ts');
    expect(run.output).toMatch(/1 passed/);
    expect(run.code, run.output).toBe(0);
  });
});
