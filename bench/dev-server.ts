/**
 * The benchmark's Temporal dev server: src/stack/temporal-server.ts `startDevServer`, plus
 * dynamic config that lifts a dev-server-only throttle (see BENCHMARKS.md).
 *
 * The dev server has a single history shard, and history reads that shard's transfer queue at
 * most `history.transferProcessorMaxPollRPS` (default 20) times a second. Every workflow task
 * and every non-eager activity task reaches matching through that queue, so once the token
 * bucket's burst is spent each dispatch waits ~50 ms for the next read, whatever the worker
 * does: a 10-step chain takes ~550 ms of which ~400 ms is this wait, for the engine and the
 * baseline alike. A production cluster spreads workflows over hundreds of shards, each with
 * its own budget, so the bench raises the limit to measure workflows rather than the throttle.
 * BENCH_STOCK_DEV_SERVER=1 runs with the stock settings instead.
 *
 * `startDevServer` takes no extra arguments yet, so the tuned variant starts the server the same
 * way here (same CLI lookup, same search attributes) with the extra flags.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeKeys } from '../src/common/search-attributes';
import { findTemporalCli } from '../src/stack/temporal-cli';
import { startDevServer, type DevServer } from '../src/stack/temporal-server';

export const BENCH_DYNAMIC_CONFIG: Readonly<Record<string, number>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxPollRPS': 1000,
  'history.visibilityProcessorMaxPollRPS': 1000,
};

export async function startBenchDevServer(port: number, stock: boolean): Promise<DevServer> {
  if (stock) return startDevServer({ port });
  const executable = findTemporalCli();
  const ip = '127.0.0.1';
  const dynamicConfig = Object.entries(BENCH_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: executable.type === 'existing-path' ? { type: 'existing-path', path: executable.path } : { type: 'cached-download', version: executable.version },
      ip,
      port,
      ui: false,
      searchAttributes: Object.values(searchAttributeKeys),
      extraArgs: ['--log-level', 'error', ...dynamicConfig],
    },
  });
  return {
    address: env.address,
    executable: executable.type === 'existing-path' ? executable.path : `SDK download ${executable.version}`,
    stop: () => env.teardown(),
  };
}
