/** The benchmark's shapes' sizes, shared by the graph documents, the hand-written baselines and the pg-boss executor. */
import { intEnv } from './env';

export const CHAIN_LENGTH = 10;
/** The chains of the whole benchmark (DESIGN §11 / issue 14): 1, 10 and 50 nodes. */
export const CHAIN_LENGTHS = [1, 10, 50] as const;
export const FANOUT_WIDTH = 20;
/** BENCH_WIDE_WIDTH: the wide fan-out (1,000). */
export const WIDE_WIDTH = intEnv('BENCH_WIDE_WIDTH', 1000, 2);
/** BENCH_LAYERED_NODES: the layered graph's size (10,000), in layers of LAYERED_WIDTH. */
export const LAYERED_NODES = intEnv('BENCH_LAYERED_NODES', 10_000, 10);
export const LAYERED_WIDTH = 100;
/** BENCH_MAP_ITEMS: the map's items (1,000), MAP_CONCURRENCY at a time. */
export const MAP_ITEMS = intEnv('BENCH_MAP_ITEMS', 1000, 1);
export const MAP_CONCURRENCY = 50;
/** startToClose of the local chain's nodes (the most a local node may have) and of its baseline's local activities. */
export const LOCAL_START_TO_CLOSE = '10s';

export const chainNodeIds = (length = CHAIN_LENGTH): string[] => Array.from({ length }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
export const fanoutBranchIds = (): string[] => Array.from({ length: FANOUT_WIDTH }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);
