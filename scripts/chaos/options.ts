/**
 * The chaos suite's counts and knobs: `npm run chaos -- --executions 100 --workers 3 --kills 10`
 * (the defaults), and the same object for the smaller run inside `npm test`.
 */
import { parseArgs } from 'node:util';

export interface ChaosOptions {
  /** Executions of the worker-kills phase. */
  executions: number;
  /** Worker processes on the task queue. */
  workers: number;
  /** SIGKILLs during the worker-kills phase. */
  kills: number;
  /** Executions of each server-restart phase; 0 skips both. */
  restartExecutions: number;
  temporalRestart: boolean;
  postgresRestart: boolean;
  /** settings.concurrency.max of the graph, per key (two keys). */
  slots: number;
  /** Seed of the fault timing and victims. */
  seed: number;
  /** Every execution must be final this long after a phase's last fault, or it counts as lost. */
  settleMs: number;
  /** How long a restarted server stays down. */
  downMs: number;
  /** A killed worker is started again after a pause in this range. */
  restartAfterMs: [number, number];
  /** A prebuilt workflow bundle (the test's global setup has one); built when omitted. */
  workflowBundlePath?: string;
  /** Writes every watched history (JSON) and the receiver's log into this directory, for a person to look into. */
  historiesDir?: string;
  json: boolean;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  executions: 100,
  workers: 3,
  kills: 10,
  restartExecutions: 20,
  temporalRestart: true,
  postgresRestart: true,
  slots: 2,
  seed: 1,
  settleMs: 120_000,
  downMs: 2000,
  restartAfterMs: [200, 1500],
  json: false,
};

export const USAGE = `npm run chaos -- [--executions N] [--workers N] [--kills N] [--restart-executions N]
                     [--no-temporal-restart] [--no-postgres-restart] [--slots N] [--seed N]
                     [--settle SECONDS] [--down SECONDS] [--histories DIR] [--json]`;

function count(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(value)}`);
  return n;
}

export function parseChaosArgs(argv: string[]): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      executions: { type: 'string' },
      workers: { type: 'string' },
      kills: { type: 'string' },
      'restart-executions': { type: 'string' },
      'no-temporal-restart': { type: 'boolean' },
      'no-postgres-restart': { type: 'boolean' },
      slots: { type: 'string' },
      seed: { type: 'string' },
      settle: { type: 'string' },
      down: { type: 'string' },
      histories: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const d = DEFAULT_OPTIONS;
  return {
    ...d,
    executions: count('executions', values.executions, d.executions, 1),
    // Two at least: a kill never takes the last worker, so with one there would be no kills.
    workers: count('workers', values.workers, d.workers, 2),
    kills: count('kills', values.kills, d.kills, 0),
    restartExecutions: count('restart-executions', values['restart-executions'], d.restartExecutions, 0),
    temporalRestart: !values['no-temporal-restart'],
    postgresRestart: !values['no-postgres-restart'],
    slots: count('slots', values.slots, d.slots, 1),
    seed: count('seed', values.seed, d.seed, 0),
    settleMs: count('settle', values.settle, d.settleMs / 1000, 1) * 1000,
    downMs: count('down', values.down, d.downMs / 1000, 0) * 1000,
    ...(values.histories ? { historiesDir: values.histories } : {}),
    json: values.json ?? false,
  };
}
