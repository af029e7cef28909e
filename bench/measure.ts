/**
 * The two measurements per shape and system: one execution at a time (the systems
 * interleaved) and throughput with CONCURRENCY executions in flight.
 */
import { CONCURRENCY, N, PER_ROUND, progress, ROUNDS, WARMUP } from './settings';
import { fmt, median, percentile } from './stats';
import { prepare, systemsOf, type Bench, type Job, type ShapeSpec, type SystemName } from './systems';

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
  workflowIds: string[];
}

/** One at a time, the systems interleaved (rotating order) so that drift hits all alike. */
export async function runSequential(bench: Bench, shape: ShapeSpec): Promise<Map<SystemName, Sequential>> {
  const systems = systemsOf(shape);
  const samples = new Map<SystemName, number[]>(systems.map((s) => [s.name, []]));
  const ids = new Map<SystemName, string[]>(systems.map((s) => [s.name, []]));
  for (let i = 0; i < WARMUP + N; i++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(i + k) % systems.length].name;
      const { ms, workflowId } = await timeOne(bench, shape, system);
      if (i >= WARMUP) samples.get(system)!.push(ms);
      ids.get(system)!.push(workflowId);
    }
  }
  return new Map(
    systems.map(({ name }) => {
      const values = samples.get(name)!;
      return [name, { samples: values, median: median(values), p95: percentile(values, 95), workflowIds: ids.get(name)! }];
    }),
  );
}

export interface Throughput {
  perSecond: number;
  seconds: number;
  latencyMedian: number;
}

/** PER_ROUND executions, CONCURRENCY in flight; untimed setup for all of them first. */
async function runThroughputOnce(bench: Bench, shape: ShapeSpec, system: SystemName): Promise<{ seconds: number; latencies: number[] }> {
  const jobs: Job[] = [];
  for (let i = 0; i < PER_ROUND; i++) jobs.push(await prepare(bench, shape, system));
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, PER_ROUND) }, async () => {
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
  const systems = systemsOf(shape);
  const seconds = new Map<SystemName, number>(systems.map((s) => [s.name, 0]));
  const latencies = new Map<SystemName, number[]>(systems.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? systems : [...systems].reverse();
    for (const { name } of order) {
      const result = await runThroughputOnce(bench, shape, name);
      seconds.set(name, seconds.get(name)! + result.seconds);
      latencies.get(name)!.push(...result.latencies);
      progress(`  throughput ${shape.name}/${name} round ${round + 1}: ${fmt(PER_ROUND / result.seconds)} exec/s`);
    }
  }
  return new Map(
    systems.map(({ name }) => [name, { perSecond: (PER_ROUND * ROUNDS) / seconds.get(name)!, seconds: seconds.get(name)!, latencyMedian: median(latencies.get(name)!) }]),
  );
}
