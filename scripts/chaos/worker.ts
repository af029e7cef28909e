/**
 * A chaos worker: `npm run worker` with two differences, both for the chaos suite only. It
 * runs the workflow bundle the suite built once (CHAOS_WORKFLOW_BUNDLE), so a restart after
 * SIGKILL takes a second, not a bundling; and every node attempt sends its side effect to the
 * suite's receiver (CHAOS_RECEIVER_URL) first. It prints `chaos-worker ready` once it polls.
 */
import { hostname } from 'node:os';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Logger } from '../../src/common/logger';
import { loadWorkerConfig } from '../../src/config';
import { createPool } from '../../src/store/pool';
import { connectEngineWorker } from '../../src/worker';
import { sendingSideEffects } from './side-effects';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (scripts/chaos/worker.ts is started by the chaos suite)`);
  return value;
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const receiverUrl = required('CHAOS_RECEIVER_URL');
  const bundlePath = required('CHAOS_WORKFLOW_BUNDLE');
  // The SDK's errors go to stderr, which the suite keeps for a crash report (its warnings
  // would bury them: every failed attempt is one).
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const logger: Logger = {
    info: () => undefined,
    warn: (fields, message) => void process.stderr.write(`warn ${message ?? ''} ${JSON.stringify(fields)}\n`),
    error: (fields, message) => void process.stderr.write(`error ${message ?? ''} ${JSON.stringify(fields)}\n`),
  };
  const pool = createPool(config.databaseUrl);
  // The SDK's default identity, which history records for every task this worker takes.
  const identity = `${process.pid}@${hostname()}`;
  const { worker, close } = await connectEngineWorker(config, { pool, logger }, { workflowBundle: { codePath: bundlePath }, wrapNodeActivity: sendingSideEffects(receiverUrl, identity) });
  const running = worker.run();
  process.stdout.write('chaos-worker ready\n');
  try {
    // Resolves after SIGTERM (the SDK's handler) once running tasks drained.
    await running;
  } finally {
    await close();
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`chaos worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
