import { mirrorStatus } from '../../client/mirror-status';
import { createPool } from '../../store/pool';
import type { ExecutionView } from '../../store/executions/read-execution';
import { configWithOrg } from '../config-with-org';
import { executionJson, executionText } from '../execution-json';
import { exitCodeForStatus } from '../exit-codes';

/**
 * `wf status ID`: the execution as the mirror shows it. Postgres alone answers the usual case
 * (no Temporal client loaded, so it starts fast); only an execution the mirror has not seen
 * yet asks Temporal whether it exists.
 */
export async function statusCommand(executionId: string, options: { json?: boolean; org?: string }, out: (line: string) => void): Promise<number> {
  const config = configWithOrg(options.org);
  const pool = createPool(config.databaseUrl, 1);
  let view: ExecutionView | undefined;
  try {
    view = await mirrorStatus(pool, config.organizationId, executionId);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (!view) {
    const { withClient } = await import('../context');
    view = await withClient(config, (client) => client.status(config.organizationId, executionId));
  }
  out(options.json ? JSON.stringify(executionJson(view)) : executionText(view));
  return exitCodeForStatus(view.status);
}
