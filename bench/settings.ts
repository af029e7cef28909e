/**
 * The bench's settings, read once from the environment (see bench/run.ts for the knobs), and
 * its progress output (stderr, so stdout keeps only the tables).
 */
import { fileURLToPath } from 'node:url';
import type { Json } from '../src/workflows/graph/types';
import { CONCURRENCY_ENV_KNOBS } from './concurrency';
import { HTTP_ENV_KNOBS } from './http';
import { SCALE_ENV_KNOBS } from './scale-out';
import { MIRROR_LAG_ENV_KNOBS } from './mirror-lag';
import { IN_FLIGHT_ENV_KNOBS } from './in-flight-rss';
import { KNOWLEDGE_ENV_KNOBS } from './knowledge-run';
import { intEnv } from './env';

export const N = intEnv('BENCH_N', 30);
export const WARMUP = intEnv('BENCH_WARMUP', 5, 0);
export const TOTAL = intEnv('BENCH_TOTAL', 160);
export const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8);
export const ROUNDS = intEnv('BENCH_ROUNDS', 8);
/** BENCH_LARGE_N: executions of each large shape (1,000-wide, 10,000-node, map) per system, one at a time. */
export const LARGE_N = intEnv('BENCH_LARGE_N', 4);
export const PER_ROUND = Math.ceil(TOTAL / ROUNDS);
export const CONCURRENCY_ONLY = ['1', 'true', 'yes'].includes((process.env.BENCH_CONCURRENCY_ONLY ?? '').toLowerCase());
export const HTTP_ONLY = ['1', 'true', 'yes'].includes((process.env.BENCH_HTTP_ONLY ?? '').toLowerCase());
export const SCALE_ONLY = ['1', 'true', 'yes'].includes((process.env.BENCH_SCALE_ONLY ?? '').toLowerCase());
/** BENCH_KNOWLEDGE=0: \`npm run bench\` leaves the knowledge part out (and BENCHMARKS.md keeps its section as it was). */
export const KNOWLEDGE = !['0', 'false', 'no'].includes((process.env.BENCH_KNOWLEDGE ?? '').toLowerCase());
export const STOCK_DEV_SERVER = ['1', 'true', 'yes'].includes((process.env.BENCH_STOCK_DEV_SERVER ?? '').toLowerCase());
/** BENCH_SHAPES: the shapes to run (comma list); all when unset. Checked against the shapes in bench/run.ts. */
export const SHAPES = (process.env.BENCH_SHAPES ?? '').split(',').map((name) => name.trim()).filter(Boolean);
/** BENCH_SYSTEMS: the systems to run (comma list); all when unset. Checked against the systems in bench/run.ts. */
export const SYSTEM_NAMES = (process.env.BENCH_SYSTEMS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
export const DIAGNOSTIC_RUNS = 3;
export const REPLAY_HISTORIES = 10;
export const REPLAY_ROUNDS = 3;
export const OUT = process.env.BENCH_OUT ?? fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
export const WORKFLOWS_ENTRY = fileURLToPath(new URL('./workflows.ts', import.meta.url));
export const BASELINE_ONLY_ENTRY = fileURLToPath(new URL('./baseline-workflows.ts', import.meta.url));
export const TASK_QUEUE = 'wf-bench';
export const ORG = 'default';
export const INPUT: Json = { n: 1, note: 'benchmark' };

const ENV_KNOBS = ['BENCH_SHAPES', 'BENCH_SYSTEMS', 'BENCH_LARGE_N', 'BENCH_WIDE_WIDTH', 'BENCH_LAYERED_NODES', 'BENCH_MAP_ITEMS', 'BENCH_N', 'BENCH_WARMUP', 'BENCH_TOTAL', 'BENCH_CONCURRENCY', 'BENCH_ROUNDS', 'BENCH_STOCK_DEV_SERVER', 'BENCH_CONCURRENCY_ONLY', ...CONCURRENCY_ENV_KNOBS, ...HTTP_ENV_KNOBS, ...SCALE_ENV_KNOBS, ...MIRROR_LAG_ENV_KNOBS, ...IN_FLIGHT_ENV_KNOBS, ...KNOWLEDGE_ENV_KNOBS];
/** What changes a knowledge-only run (bench/knowledge.ts): its own knobs and the stack's. */
export const KNOWLEDGE_ONLY_ENV_KNOBS = [...KNOWLEDGE_ENV_KNOBS.filter((k) => k !== 'BENCH_KNOWLEDGE'), 'BENCH_STOCK_DEV_SERVER'];

/** The command that reproduces this run: the knobs that were set, then `npm run bench` (or `script`). */
export function commandLine(script = 'npm run bench', knobs: readonly string[] = ENV_KNOBS): string {
  const set = knobs.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return [...set, script].join(' ');
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
