import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';

/** `wf queue stats KEY`: slots of a concurrency key. */
export async function queueStatsCommand(key: string, options: { json?: boolean; org?: string }, out: (line: string) => void): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const stats = await client.queueStats(config.organizationId, key);
    if (options.json) out(JSON.stringify(stats));
    else out(`${stats.ref}: ${stats.active} active of ${stats.maxConcurrent ?? '-'}, ${stats.queued} queued${stats.oldestQueuedAt ? ` (oldest since ${stats.oldestQueuedAt})` : ''}`);
    return EXIT.ok;
  });
}
