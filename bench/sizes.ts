/** The large shapes' sizes, which the environment may shrink to shorten a run (bench/run.ts lists the knobs). */
import { intEnv } from './env';

/** BENCH_WIDE_WIDTH: the wide fan-out (1,000). */
export const WIDE_WIDTH = intEnv('BENCH_WIDE_WIDTH', 1000, 2);
/** BENCH_LAYERED_NODES: the layered graph's size (10,000), in layers of LAYERED_WIDTH. */
export const LAYERED_NODES = intEnv('BENCH_LAYERED_NODES', 10_000, 10);
export const LAYERED_WIDTH = 100;
/** BENCH_MAP_ITEMS: the map's items (1,000), MAP_CONCURRENCY at a time. */
export const MAP_ITEMS = intEnv('BENCH_MAP_ITEMS', 1000, 1);
export const MAP_CONCURRENCY = 50;
