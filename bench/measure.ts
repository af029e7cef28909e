/**
 * The measurements per shape and system: one execution at a time (the systems interleaved)
 * and throughput with CONCURRENCY executions in flight; how many of each a shape gets follows
 * its plan (bench/shape-specs.ts). Large shapes are measured one at a time only, with the SQL
 * counter on (bench/diagnostics.ts diagnose), since each execution is thousands of nodes.
 */
import { CONCURRENCY, LARGE_N, N, PER_ROUND, progress, ROUNDS, WARMUP } from './settings';
import { fmt, median, percentile } from './stats';
import { prepare, systemsOf, type Bench, type Job, type ShapeSpec, type SystemName } from './systems';
import type { MeasurePlan } from './shape-specs';

export interface PlanCounts {
  warmup: number;
  n: number;
  perRound: number;
  rounds: number;
  concurrency: number;
}

/** The counts of a plan: `full` the settings, `medium` capped at 10 one at a time and 40 under load, `large` BENCH_LARGE_N one at a time. */
export function planCounts(plan: MeasurePlan): PlanCounts {
  if (plan === 'large') return { warmup: 0, n: LARGE_N, perRound: LARGE_N, rounds: 1, concurrency: 1 };
  if (plan === 'medium') return { warmup: Math.min(WARMUP, 2), n: Math.min(N, 10), perRound: Math.min(PER_ROUND, 20), rounds: Math.min(ROUNDS, 2), concurrency: CONCURRENCY };
  return { warmup: WARMUP, n: N, perRound: PER_ROUND, rounds: ROUNDS, concurrency: CONCURRENCY };
}

async function timeOne(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<{ ms: number; workflowId: string }> {
  const job = await prepare(bench, shape, system);
  const start = performance.now();
  await job.run();
  return { ms: performance.now() - start, workflowId: job.workflowId };
}

export interface Sequential {
  samples: number[];
  median: number;
  p95: number;
  p99: number;
  workflowIds: string[];
}

export function sequentialOf(samples: number[], workflowIds: string[]): Sequential {
  return { samples, median: median(samples), p95: percentile(samples, 95), p99: percentile(samples, 99), workflowIds };
}

/** One at a time, the systems interleaved (rotating order) so that drift hits all alike. */
export async function runSequential(bench: Bench, shape: ShapeSpec): Promise<Map<SystemName, Sequential>> {
  const { warmup, n } = planCounts(shape.plan);
  const systems = systemsOf(shape);
  const samples = new Map<SystemName, number[]>(systems.map((s) => [s.name, []]));
  const ids = new Map<SystemName, string[]>(systems.map((s) => [s.name, []]));
  for (let i = 0; i < warmup + n; i++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(i + k) % systems.length].name;
      const { ms, workflowId } = await timeOne(bench, shape, system);
      if (i >= warmup) samples.get(system)!.push(ms);
      ids.get(system)!.push(workflowId);
    }
  }
  return new Map(systems.map(({ name }) => [name, sequentialOf(samples.get(name)!, ids.get(name)!)]));
}

export interface Throughput {
  perSecond: number;
  seconds: number;
  executions: number;
  inFlight: number;
  latencyMedian: number;
  latencyP99: number;
}

/** Throughput of executions run one at a time (the large shapes): their count over their summed time. */
export function throughputOfSequential(s: Sequential): Throughput {
  const seconds = s.samples.reduce((sum, ms) => sum + ms, 0) / 1000;
  return { perSecond: s.samples.length / seconds, seconds, executions: s.samples.length, inFlight: 1, latencyMedian: s.median, latencyP99: s.p99 };
}

/** perRound executions, concurrency in flight; untimed setup for all of them first. */
async function runThroughputOnce(bench: Bench, shape: ShapeSpec, system: SystemName, counts: PlanCounts): Promise<{ seconds: number; latencies: number[] }> {
  const jobs: Job[] = [];
  for (let i = 0; i < counts.perRound; i++) jobs.push(await prepare(bench, shape, system));
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(counts.concurrency, counts.perRound) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const t0 = performance.now();
        await job.run();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies };
}

export async function runThroughput(bench: Bench, shape: ShapeSpec): Promise<Map<SystemName, Throughput>> {
  const counts = planCounts(shape.plan);
  const systems = systemsOf(shape);
  const seconds = new Map<SystemName, number>(systems.map((s) => [s.name, 0]));
  const latencies = new Map<SystemName, number[]>(systems.map((s) => [s.name, []]));
  for (let round = 0; round < counts.rounds; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const { name } of order) {
      const result = await runThroughputOnce(bench, shape, name, counts);
      seconds.set(name, seconds.get(name)! + result.seconds);
      latencies.get(name)!.push(...result.latencies);
      progress(`  throughput ${shape.name}/${name} round ${round + 1}: ${fmt(counts.perRound / result.seconds)} exec/s`);
    }
  }
  const executions = counts.perRound * counts.rounds;
  return new Map(
    systems.map(({ name }) => [
      name,
      { perSecond: executions / seconds.get(name)!, seconds: seconds.get(name)!, executions, inFlight: counts.concurrency, latencyMedian: median(latencies.get(name)!), latencyP99: percentile(latencies.get(name)!, 99) },
    ]),
  );
}
