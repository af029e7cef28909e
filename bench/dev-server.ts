/**
 * The benchmark's Temporal dev server: src/stack/temporal-server.ts `startDevServer` with its
 * default dynamic config, which lifts a dev-server-only throttle (see DEV_SERVER_DYNAMIC_CONFIG
 * and BENCHMARKS.md). BENCH_STOCK_DEV_SERVER=1 runs with the stock settings instead.
 */
import { DEV_SERVER_DYNAMIC_CONFIG, startDevServer, type DevServer } from '../src/stack/temporal-server';

export const BENCH_DYNAMIC_CONFIG = DEV_SERVER_DYNAMIC_CONFIG;

export function startBenchDevServer(port: number, stock: boolean): Promise<DevServer> {
  return startDevServer({ port, ...(stock ? { dynamicConfig: {} } : {}) });
}
