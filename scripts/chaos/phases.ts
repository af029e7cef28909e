/**
 * The chaos suite's phases, one after the other on the same stack and workers: executions of
 * the chaos graph while workers are SIGKILLed at random moments and restarted; then new
 * executions while the Temporal dev server is restarted mid-run; then new ones while
 * PostgreSQL is. Faults are timed by progress (side effects received, against what the
 * executions send when nothing goes wrong) plus a random jitter, so they land at random
 * points of the run however fast the machine is, and all of them before it ends. Two kills
 * are at least KILL_GAP_MS apart, so that each recovery is measured on its own: the promise
 * is about one worker dying, not the one that took over dying too.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { EngineClient } from '../../src/client';
import { sleep } from '../../test/helpers/wait-for';
import { CHAOS_ORGANIZATION, chaosGraph, chaosInput, expectedStatus, type ChaosInput } from './graph';
import type { ChaosOptions } from './options';
import type { Random } from './random';
import type { Receiver } from './receiver';
import type { ChaosStack } from './stack';
import { awaitFinal, type Convergence } from './verify';
import type { WorkerFleet } from './worker-fleet';
import { RECOVERY_PROMISE_MS } from './recovery';

export interface ChaosContext {
  options: ChaosOptions;
  stack: ChaosStack;
  client: EngineClient;
  temporal: Client;
  pool: Pool;
  fleet: WorkerFleet;
  receiver: Receiver;
  random: Random;
  log(line: string): void;
}

/** The recovery promise (3 s) and a second more. */
const KILL_GAP_MS = RECOVERY_PROMISE_MS + 1000;

export type PhaseName = 'worker kills' | 'Temporal restart' | 'Postgres restart';

export interface PhaseResult {
  name: PhaseName;
  ids: string[];
  expected: Map<string, 'completed' | 'failed'>;
  faultsAsked: number;
  faults: number;
  durationMs: number;
  convergence: Convergence;
}

/** Side effects an execution sends when no fault interferes (see graph.ts: retries, error edge, compensations). */
function faultFreeDeliveries(input: ChaosInput): number {
  const odd = input.i % 2 === 1;
  return 18 + (odd ? 1 : 0) + (input.doomed ? 2 : 0);
}

interface Started {
  ids: string[];
  expected: Map<string, 'completed' | 'failed'>;
  /** Share of the fault-free side effects received so far, 0..1. */
  progress(): number;
  done(): boolean;
  /** Ends the background watch of `done`. */
  stopWatching(): void;
}

async function startExecutions(ctx: ChaosContext, first: number, count: number): Promise<Started> {
  const graph = chaosGraph(ctx.options.slots);
  const ids: string[] = [];
  const expected = new Map<string, 'completed' | 'failed'>();
  let total = 0;
  for (let i = first; i < first + count; i++) {
    const input = chaosInput(i);
    const { executionId } = await ctx.client.start({ organizationId: CHAOS_ORGANIZATION, graph, input: { ...input } });
    ids.push(executionId);
    expected.set(executionId, expectedStatus(input));
    total += faultFreeDeliveries(input);
  }
  const mine = new Set(ids);
  let counted = 0;
  let received = 0;
  const progress = (): number => {
    const all = ctx.receiver.deliveries;
    for (; counted < all.length; counted++) if (mine.has(all[counted].workflowId)) received++;
    return Math.min(1, received / total);
  };
  // Final in the mirror, checked cheaply while faults are being timed.
  let finished = false;
  let watching = true;
  const watch = async (): Promise<void> => {
    while (!finished && watching) {
      const rows = await ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM executions WHERE id = ANY($1) AND status IN ('completed', 'failed', 'cancelled', 'timed_out')", [ids]).catch(() => undefined);
      if (rows && rows.rows[0].n === ids.length) finished = true;
      else await sleep(300);
    }
  };
  void watch();
  return { ids, expected, progress, done: () => finished, stopWatching: () => void (watching = false) };
}

/** Resolves once `started` made `share` of its progress (true), or ended first (false). */
async function reached(started: Started, share: number): Promise<boolean> {
  while (started.progress() < share) {
    if (started.done()) return false;
    await sleep(50);
  }
  return true;
}

async function endPhase(ctx: ChaosContext, name: PhaseName, started: Started, began: number, faultsAsked: number, faults: number): Promise<PhaseResult> {
  ctx.log(`${name}: ${faults} of ${faultsAsked} fault(s) done; waiting up to ${ctx.options.settleMs / 1000} s for ${started.ids.length} executions to end`);
  const convergence = await awaitFinal(ctx.temporal, ctx.pool, started.ids, ctx.options.settleMs);
  started.stopWatching();
  ctx.log(`${name}: ${convergence.final.length} final, ${convergence.lost.length} not final, in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return { name, ids: started.ids, expected: started.expected, faultsAsked, faults, durationMs: Date.now() - began, convergence };
}

export async function workerKillsPhase(ctx: ChaosContext, first: number): Promise<PhaseResult> {
  const { executions, kills } = ctx.options;
  const began = Date.now();
  ctx.log(`worker kills: starting ${executions} executions on ${ctx.options.workers} workers, ${kills} SIGKILLs`);
  const started = await startExecutions(ctx, first, executions);
  const moments = Array.from({ length: kills }, () => ctx.random.between(0.05, 0.85)).sort((a, b) => a - b);
  let done = 0;
  let lastKillAt = 0;
  for (const moment of moments) {
    if (!(await reached(started, moment))) break;
    await sleep(Math.max(ctx.random.between(0, 300), lastKillAt + KILL_GAP_MS - Date.now()));
    // Never the last worker: someone must be there to take over.
    let kill = await ctx.fleet.killOne('worker kills', ctx.options.restartAfterMs);
    while (!kill && !started.done()) {
      await ctx.fleet.restarted();
      kill = await ctx.fleet.killOne('worker kills', ctx.options.restartAfterMs);
    }
    if (!kill) break;
    lastKillAt = kill.at;
    done++;
    ctx.log(`worker kills: SIGKILL ${done}/${kills} of ${kill.worker} at ${(started.progress() * 100).toFixed(0)}% progress`);
  }
  await ctx.fleet.restarted();
  return endPhase(ctx, 'worker kills', started, began, kills, done);
}

/** Starts `count` executions, restarts a server once they are well under way, and waits for them to end. */
export async function serverRestartPhase(ctx: ChaosContext, name: 'Temporal restart' | 'Postgres restart', first: number, count: number): Promise<PhaseResult> {
  const began = Date.now();
  ctx.log(`${name}: starting ${count} executions`);
  const started = await startExecutions(ctx, first, count);
  let faults = 0;
  if (await reached(started, ctx.random.between(0.2, 0.5))) {
    ctx.log(`${name}: stopping it at ${(started.progress() * 100).toFixed(0)}% progress, for ${ctx.options.downMs / 1000} s`);
    if (name === 'Temporal restart') await ctx.stack.restartTemporal(ctx.options.downMs);
    else await ctx.stack.restartPostgres(ctx.options.downMs);
    faults = 1;
  }
  return endPhase(ctx, name, started, began, 1, faults);
}
