/**
 * Starts the real parts once per test run: a Temporal CLI dev server and an embedded
 * PostgreSQL on free 127.0.0.1 ports, and the workflow bundle. Each test file then makes its
 * own database and task queue (test/helpers/engine.ts). Everything stops at the end.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/stack/postgres';
import { startDevServer } from '../../src/stack/temporal-server';
import { WORKFLOWS_PATH } from '../../src/worker';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../src/workflow-bundle-options';
import { freePort } from '../helpers/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's Web UI, for the browser tests (no codec endpoint of its own: a test sets the browser's). */
    temporalUiUrl: string;
    postgresAdminUrl: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'wf-test-'));
  // Postgres runs as its own system user when we are root: it must be able to reach its dir.
  chmodSync(workDir, 0o755);
  const started = await Promise.allSettled([
    startDevServer({ uiPort: await freePort() }),
    startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port: await freePort(), database: 'wf_test', ephemeral: true }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLER_OPTIONS, logger: { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined } }),
  ]);
  const [serverResult, postgresResult, bundleResult] = started;
  if (serverResult.status === 'rejected' || postgresResult.status === 'rejected' || bundleResult.status === 'rejected') {
    // Stop whatever did start, so a failed setup leaves no server behind.
    if (serverResult.status === 'fulfilled') await serverResult.value.stop().catch(() => undefined);
    if (postgresResult.status === 'fulfilled') await postgresResult.value.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    throw failure?.reason;
  }
  const [server, postgres, bundle] = [serverResult.value, postgresResult.value, bundleResult.value];
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('temporalUiUrl', server.uiUrl!);
  project.provide('postgresAdminUrl', postgres.adminUrl);
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    await Promise.allSettled([server.stop(), postgres.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  };
}
