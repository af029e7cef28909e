/**
 * What the chaos suite checks once the faults are over: every execution reaches a final
 * status (in the mirror and in Temporal) within a bound, the mirror says what history says
 * for every step, and no concurrency slot is left held or queued.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { EngineClient } from '../../src/client';
import { mirrorMismatches, type StepMismatch } from '../../test/helpers/mirror-vs-history';
import { sleep } from '../../test/helpers/wait-for';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

export interface Convergence {
  /** Mirror status of each execution when the wait ended. */
  statuses: Map<string, string>;
  /** Executions final in the mirror and closed in Temporal. */
  final: string[];
  /** Not final in both within the bound. */
  lost: string[];
  /** From the call (the end of the last fault) until every execution was final; undefined if some never were. */
  convergedMs?: number;
}

async function mirrorStatuses(pool: Pool, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await pool.query<{ id: string; status: string }>('SELECT id, status FROM executions WHERE id = ANY($1)', [ids]);
  return new Map(rows.rows.map((row) => [row.id, row.status]));
}

async function closedInTemporal(temporal: Client, id: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(id).describe()).status.name !== 'RUNNING';
  } catch {
    return false;
  }
}

/** Waits up to `boundMs` for every execution to be final; Postgres or Temporal being briefly away is waited out. */
export async function awaitFinal(temporal: Client, pool: Pool, ids: readonly string[], boundMs: number): Promise<Convergence> {
  const began = Date.now();
  let statuses = new Map<string, string>();
  const closed = new Set<string>();
  let convergedMs: number | undefined;
  for (;;) {
    statuses = await mirrorStatuses(pool, ids).catch(() => statuses);
    for (const id of ids) if (!closed.has(id) && FINAL.has(statuses.get(id) ?? '') && (await closedInTemporal(temporal, id))) closed.add(id);
    if (closed.size === ids.length) {
      convergedMs = Date.now() - began;
      break;
    }
    if (Date.now() - began > boundMs) break;
    await sleep(500);
  }
  return { statuses, final: ids.filter((id) => closed.has(id)), lost: ids.filter((id) => !closed.has(id)), convergedMs };
}

export async function allMismatches(temporal: Client, pool: Pool, ids: readonly string[]): Promise<StepMismatch[]> {
  const found: StepMismatch[] = [];
  // A few at a time: the machine is shared with the stack that is being checked.
  for (let i = 0; i < ids.length; i += 8) {
    const batch = await Promise.all(ids.slice(i, i + 8).map((id) => mirrorMismatches(temporal, pool, id)));
    found.push(...batch.flat());
  }
  return found;
}

export interface SlotFigures {
  key: string;
  active: number;
  queued: number;
}

/**
 * Slots still held or queued per key once every execution ended. A release is a signal the
 * slots workflow handles on its own schedule, so it is given `graceMs` to catch up.
 */
export async function leakedSlots(client: EngineClient, organizationId: string, keys: readonly string[], graceMs: number): Promise<SlotFigures[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const stats = await Promise.all(keys.map(async (key) => ({ key, ...(await client.queueStats(organizationId, key)) })));
    const figures = stats.map(({ key, active, queued }) => ({ key, active, queued }));
    if (figures.every((f) => f.active === 0 && f.queued === 0) || Date.now() > deadline) return figures;
    await sleep(500);
  }
}
