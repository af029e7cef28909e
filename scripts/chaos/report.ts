/**
 * The chaos run's figures, its verdict, and how they are printed: a short text for a person,
 * or one JSON object (--json). The verdict holds the run to RELIABILITY.md's promises.
 */
import os from 'node:os';
import type { StepMismatch } from '../../test/helpers/mirror-vs-history';
import type { ChaosOptions } from './options';
import type { PhaseResult } from './phases';
import type { EffectFigures } from './receiver';
import { RECOVERY_PROMISE_MS, type KillRecovery } from './recovery';
import type { SlotFigures } from './verify';

export interface ChaosReport {
  command: string;
  machine: { cpus: number; memoryGiB: number; node: string; platform: string; date: string };
  durationMs: number;
  phases: {
    name: string;
    executions: number;
    faults: string;
    final: number;
    lost: number;
    statuses: Record<string, number>;
    /** Final, but not as the graph says it ends without faults (a fault may legitimately cause it: a node's last attempt lost). */
    unexpectedOutcomes: number;
    convergedAfterFaultsMs: number | null;
    durationMs: number;
  }[];
  executions: { total: number; final: number; lost: number; lostIds: string[] };
  mismatches: { steps: number; examples: StepMismatch[] };
  slots: { leaked: number; keys: SlotFigures[] };
  effects: EffectFigures;
  recovery: {
    kills: number;
    killsWithWorkInFlight: number;
    items: number;
    /** Per kill (its slowest item), over the kills that had work in flight. */
    p50Ms: number | null;
    maxMs: number | null;
    /** Work handed over (a lost activity attempt, a workflow in its cache): the promise is under 3 s. */
    handedOver: { p50Ms: number | null; maxMs: number | null };
    /** Workflow tasks it was in the middle of: Temporal gives them back after their timeout. */
    heldTasks: { items: number; maxMs: number | null };
    /** Items slower than the promise allows them. */
    overBound: string[];
    perKill: { worker: string; at: string; ms: number | null; items: number; slowest: string[] }[];
  };
  /** Workers' processing time per workflow task, against which the workflow task timeout is set. */
  workflowTasks: { count: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null };
  workerCrashes: string[];
  verdict: { ok: boolean; failures: string[] };
}

export interface ChaosOutcome {
  options: ChaosOptions;
  durationMs: number;
  phases: PhaseResult[];
  mismatches: StepMismatch[];
  slots: SlotFigures[];
  effects: EffectFigures;
  recovery: KillRecovery[];
  /** Every workflow task's processing time (started to completed), sorted. */
  workflowTaskMs: number[];
  workerCrashes: string[];
}

function nearestRank(sorted: number[], p: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

export function commandOf(options: ChaosOptions): string {
  const flags = [`--executions ${options.executions}`, `--workers ${options.workers}`, `--kills ${options.kills}`, `--restart-executions ${options.restartExecutions}`];
  if (!options.temporalRestart) flags.push('--no-temporal-restart');
  if (!options.postgresRestart) flags.push('--no-postgres-restart');
  flags.push(`--slots ${options.slots}`, `--seed ${options.seed}`);
  return `npm run chaos -- ${flags.join(' ')}`;
}

export function buildReport(outcome: ChaosOutcome): ChaosReport {
  const phases = outcome.phases.map((phase) => {
    const statuses: Record<string, number> = {};
    for (const id of phase.ids) {
      const status = phase.convergence.statuses.get(id) ?? 'missing';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    return {
      name: phase.name,
      executions: phase.ids.length,
      faults: `${phase.faults} of ${phase.faultsAsked}`,
      final: phase.convergence.final.length,
      lost: phase.convergence.lost.length,
      statuses,
      unexpectedOutcomes: phase.convergence.final.filter((id) => phase.convergence.statuses.get(id) !== phase.expected.get(id)).length,
      convergedAfterFaultsMs: phase.convergence.convergedMs ?? null,
      durationMs: phase.durationMs,
    };
  });
  const lostIds = outcome.phases.flatMap((phase) => phase.convergence.lost);
  const total = outcome.phases.reduce((n, phase) => n + phase.ids.length, 0);
  const mismatchedSteps = new Set(outcome.mismatches.map((m) => `${m.executionId}/${m.nodeId}`)).size;
  const withWork = outcome.recovery.filter((kill) => kill.ms !== undefined);
  const sorted = (values: (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const perKill = sorted(withWork.map((kill) => kill.ms));
  const handedOver = sorted(withWork.map((kill) => kill.handedOverMs));
  const describe = (item: KillRecovery['slowest'][number]): string => `${item.workflowId}: ${item.what}, ${item.ms} ms`;
  const leaked = outcome.slots.reduce((n, key) => n + key.active + key.queued, 0);
  const recovery = {
    kills: outcome.recovery.length,
    killsWithWorkInFlight: withWork.length,
    items: outcome.recovery.reduce((n, kill) => n + kill.items, 0),
    p50Ms: nearestRank(perKill, 0.5),
    maxMs: nearestRank(perKill, 1),
    handedOver: { p50Ms: nearestRank(handedOver, 0.5), maxMs: nearestRank(handedOver, 1) },
    heldTasks: { items: withWork.filter((kill) => kill.heldTaskMs !== undefined).length, maxMs: nearestRank(sorted(withWork.map((kill) => kill.heldTaskMs)), 1) },
    overBound: outcome.recovery.flatMap((kill) => kill.overBound.map((item) => `${describe(item)} (allowed ${item.boundMs} ms)`)),
    perKill: outcome.recovery.map((kill) => ({
      worker: kill.kill.worker,
      at: new Date(kill.kill.at).toISOString(),
      ms: kill.ms ?? null,
      items: kill.items,
      slowest: kill.slowest.map(describe),
    })),
  };

  const failures: string[] = [];
  if (lostIds.length > 0) failures.push(`${lostIds.length} execution(s) lost (not final ${outcome.options.settleMs / 1000} s after the faults)`);
  if (mismatchedSteps > 0) failures.push(`${mismatchedSteps} step(s) differ between the mirror and history`);
  if (leaked > 0) failures.push(`${leaked} concurrency slot(s) leaked`);
  if (outcome.effects.effectsAppliedTwice > 0) failures.push(`${outcome.effects.effectsAppliedTwice} side effect(s) applied twice`);
  if (recovery.overBound.length > 0) {
    failures.push(`${RECOVERY_FAILURE} ${recovery.overBound.length} recovery item(s) over the promise (work handed over: under ${RECOVERY_PROMISE_MS} ms; a workflow task held by the killed worker: its timeout + ${RECOVERY_PROMISE_MS} ms); slowest ${recovery.overBound[0]}`);
  }
  for (const phase of outcome.phases) if (phase.faults < phase.faultsAsked) failures.push(`${phase.name}: only ${phase.faults} of ${phase.faultsAsked} fault(s) happened before its executions ended`);
  if (outcome.options.kills > 0 && withWork.length === 0) failures.push('no kill hit a worker with work in flight: recovery was not measured');
  if (outcome.workerCrashes.length > 0) failures.push(`${outcome.workerCrashes.length} worker(s) exited on their own`);

  return {
    command: commandOf(outcome.options),
    machine: { cpus: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString() },
    durationMs: outcome.durationMs,
    phases,
    executions: { total, final: total - lostIds.length, lost: lostIds.length, lostIds },
    mismatches: { steps: mismatchedSteps, examples: outcome.mismatches.slice(0, 10) },
    slots: { leaked, keys: outcome.slots },
    effects: outcome.effects,
    recovery,
    workflowTasks: { count: outcome.workflowTaskMs.length, p50Ms: nearestRank(outcome.workflowTaskMs, 0.5), p99Ms: nearestRank(outcome.workflowTaskMs, 0.99), maxMs: nearestRank(outcome.workflowTaskMs, 1) },
    workerCrashes: outcome.workerCrashes,
    verdict: { ok: failures.length === 0, failures },
  };
}

const s = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(2)} s`);

/** Starts the verdict's failure about recovery times, which a run may choose not to judge. */
const RECOVERY_FAILURE = 'recovery:';

/** The verdict's failures, without the recovery-time one when the run does not judge it. */
export function verdictFailures(report: ChaosReport, judgeRecoveryTime = true): string[] {
  return report.verdict.failures.filter((failure) => judgeRecoveryTime || !failure.startsWith(RECOVERY_FAILURE));
}

/**
 * The report for a person. A run that does not judge recovery times (the small run inside
 * `npm test`, on a machine busy with other tests) still prints them, and says so.
 */
export function formatReport(report: ChaosReport, { judgeRecoveryTime = true } = {}): string {
  const lines = [`${report.command}`, `${report.machine.cpus} CPUs, ${report.machine.memoryGiB} GiB, node ${report.machine.node}, ${report.machine.date}; ${s(report.durationMs)}`, ''];
  for (const phase of report.phases) {
    const statuses = Object.entries(phase.statuses).map(([status, n]) => `${n} ${status}`).join(', ');
    lines.push(`${phase.name}: ${phase.executions} executions, faults ${phase.faults}; ${phase.final} final (${statuses}), ${phase.lost} lost, ${phase.unexpectedOutcomes} unexpected outcome(s); all final ${s(phase.convergedAfterFaultsMs)} after the faults; ${s(phase.durationMs)}`);
  }
  const e = report.effects;
  const r = report.recovery;
  lines.push(
    '',
    `executions reaching a final status  ${report.executions.final} of ${report.executions.total}`,
    `executions lost                     ${report.executions.lost}`,
    `steps: mirror differs from history  ${report.mismatches.steps}`,
    `concurrency slots leaked            ${report.slots.leaked}`,
    `side effects delivered              ${e.deliveries} (${e.effectsApplied} keys)`,
    `deliveries repeated                 ${e.deliveriesRepeated} (${e.repeatedAfterLostAttempt} after an attempt cut off by a fault)`,
    `effects applied twice               ${e.effectsAppliedTwice}`,
    `recovery after a kill               p50 ${s(r.p50Ms)}, max ${s(r.maxMs)} (${r.killsWithWorkInFlight} of ${r.kills} kills had work in flight, ${r.items} items)`,
    `  work handed over (< 3 s)          p50 ${s(r.handedOver.p50Ms)}, max ${s(r.handedOver.maxMs)}`,
    `  workflow tasks it held            max ${s(r.heldTasks.maxMs)} (${r.heldTasks.items} kill(s); Temporal gives them back after their timeout)`,
    `  over the promise                  ${r.overBound.length}`,
  );
  const w = report.workflowTasks;
  lines.push(`workflow task processing            p50 ${s(w.p50Ms)}, p99 ${s(w.p99Ms)}, max ${s(w.maxMs)} (${w.count} tasks)`);
  r.perKill.forEach((kill, i) => lines.push(`  kill ${i + 1} (${kill.worker}): ${s(kill.ms)}, ${kill.items} item(s)${kill.slowest[0] ? `; slowest ${kill.slowest[0]}` : ''}`));
  for (const item of r.overBound.slice(0, 5)) lines.push(`  over the promise: ${item}`);
  for (const m of report.mismatches.examples) lines.push(`  mismatch ${m.executionId} ${m.nodeId}: ${m.problem}`);
  for (const crash of report.workerCrashes) lines.push(`  worker crash: ${crash.split('\n').slice(0, 1).concat(crash.split('\n').slice(-6)).join('\n    ')}`);
  const failures = verdictFailures(report, judgeRecoveryTime);
  lines.push('', failures.length === 0 ? 'verdict: OK' : `verdict: FAILED\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  if (!judgeRecoveryTime) lines.push('(recovery times are printed, not judged, in this run)');
  return lines.join('\n');
}
