/**
 * One chaos run, start to end: its own stack (scripts/chaos/stack.ts), the side-effect
 * receiver, N worker processes, the phases (scripts/chaos/phases.ts), then the checks and the
 * figures. Everything it started is stopped again, also when it fails. `npm run chaos` and
 * test/integration/chaos.test.ts both call it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { temporal as proto } from '@temporalio/proto';
import { EngineClient } from '../../src/client';
import { createPool } from '../../src/store/pool';
import { WORKFLOWS_PATH } from '../../src/worker';
import { slotsWorkflowId } from '../../src/workflows/contracts/names';
import { CHAOS_KEYS, CHAOS_ORGANIZATION } from './graph';
import type { ChaosOptions } from './options';
import { serverRestartPhase, workerKillsPhase, type ChaosContext, type PhaseResult } from './phases';
import { seededRandom } from './random';
import { startReceiver } from './receiver';
import { recoveryTimes, workflowTaskDurations } from './recovery';
import { buildReport, type ChaosReport } from './report';
import { startChaosStack } from './stack';
import { allMismatches, leakedSlots } from './verify';
import { WorkerFleet } from './worker-fleet';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../src/workflow-bundle-options';

const TASK_QUEUE = 'chaos';

async function buildBundle(workDir: string): Promise<string> {
  const quiet = { info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined, log: () => undefined };
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet, ...WORKFLOW_BUNDLER_OPTIONS });
  const path = join(workDir, 'workflow-bundle.js');
  writeFileSync(path, bundle.code);
  return path;
}

function keepForInspection(dir: string, histories: Map<string, unknown[]>, receiverLog: unknown, mirror: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mirror.json'), JSON.stringify(mirror, null, 1));
  for (const [id, events] of histories) writeFileSync(join(dir, `${id.replace(/[^\w.-]/g, '_')}.json`), JSON.stringify({ events }, null, 1));
  writeFileSync(join(dir, 'receiver.json'), JSON.stringify(receiverLog, null, 1));
}

export async function runChaos(options: ChaosOptions, log: (line: string) => void): Promise<ChaosReport> {
  const began = Date.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    log('starting a Temporal dev server, PostgreSQL and the side-effect receiver');
    const stack = await startChaosStack();
    cleanups.push(() => stack.stop());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const bundlePath = options.workflowBundlePath ?? (log('bundling the workflows'), await buildBundle(stack.workDir));

    const pool = createPool(stack.databaseUrl);
    cleanups.push(() => pool.end());
    const connection = await Connection.connect({ address: stack.temporalAddress });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection, namespace: 'default' });
    const client = new EngineClient({ temporal, pool, taskQueue: TASK_QUEUE });

    const random = seededRandom(options.seed);
    const fleet = new WorkerFleet(
      options.workers,
      { TEMPORAL_ADDRESS: stack.temporalAddress, DATABASE_URL: stack.databaseUrl, WF_TASK_QUEUE: TASK_QUEUE, LOG_LEVEL: 'warn', CHAOS_RECEIVER_URL: receiver.url, CHAOS_WORKFLOW_BUNDLE: bundlePath },
      random,
    );
    cleanups.push(() => fleet.stop());
    log(`starting ${options.workers} workers`);
    await fleet.start();

    const ctx: ChaosContext = { options, stack, client, temporal, pool, fleet, receiver, random, log };
    const phases: PhaseResult[] = [await workerKillsPhase(ctx, 0)];
    let next = options.executions;
    if (options.restartExecutions > 0 && options.temporalRestart) {
      phases.push(await serverRestartPhase(ctx, 'Temporal restart', next, options.restartExecutions));
      next += options.restartExecutions;
    }
    if (options.restartExecutions > 0 && options.postgresRestart) phases.push(await serverRestartPhase(ctx, 'Postgres restart', next, options.restartExecutions));

    log('checking the mirror against history, the slots and the side effects');
    const final = phases.flatMap((phase) => phase.convergence.final);
    const mismatches = await allMismatches(temporal, pool, final);
    const slots = await leakedSlots(client, CHAOS_ORGANIZATION, CHAOS_KEYS, 15_000);
    // Kills happen in the first phase: its executions and the slots workflows are what they can delay.
    const watched = [...phases[0].ids, ...CHAOS_KEYS.map((key) => slotsWorkflowId(CHAOS_ORGANIZATION, key))];
    const histories = new Map<string, proto.api.history.v1.IHistoryEvent[]>();
    for (const id of watched) histories.set(id, (await temporal.workflow.getHandle(id).fetchHistory()).events ?? []);
    const recovery = recoveryTimes(fleet.kills, receiver.deliveries, receiver.ends, histories);
    if (options.historiesDir) {
      for (const id of phases.slice(1).flatMap((phase) => phase.ids)) histories.set(id, (await temporal.workflow.getHandle(id).fetchHistory()).events ?? []);
      const mirror = {
        steps: (await pool.query('SELECT * FROM execution_steps ORDER BY execution_id, node_id')).rows,
        attempts: (await pool.query('SELECT * FROM execution_step_attempts ORDER BY execution_id, node_id, kind, attempt')).rows,
      };
      keepForInspection(options.historiesDir, histories, { kills: fleet.kills, deliveries: receiver.deliveries, ends: receiver.ends }, mirror);
    }

    const workflowTaskMs = workflowTaskDurations(histories);
    return buildReport({ options, durationMs: Date.now() - began, phases, mismatches, slots, effects: receiver.figures(), recovery, workflowTaskMs, workerCrashes: fleet.crashes });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
  }
}
