import { mirrorStatus } from '../../client/mirror-status';
import { mirrorContext } from '../../client/mirror-context';
import { createPool } from '../../store/pool';
import type { ExecutionContextView } from '../../store/context-snapshots/context-view';
import type { ExecutionView } from '../../store/executions/read-execution';
import { CliError } from '../cli-error';
import { configWithOrg } from '../config-with-org';
import { contextText } from '../context-text';
import { executionJson, executionText } from '../execution-json';
import { EXIT, exitCodeForStatus } from '../exit-codes';

export interface StatusOptions {
  json?: boolean;
  org?: string;
  /** Show the execution context (DESIGN §12) instead of the steps. */
  context?: boolean;
  /** The context snapshot to show (implies `context`); default the latest. */
  sequence?: string;
}

/**
 * `wf status ID`: the execution as the mirror shows it. Postgres alone answers the usual case
 * (no Temporal client loaded, so it starts fast); only an execution the mirror has not seen
 * yet asks Temporal whether it exists.
 */
export async function statusCommand(executionId: string, options: StatusOptions, out: (line: string) => void): Promise<number> {
  if (options.context || options.sequence !== undefined) return contextCommand(executionId, options, out);
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

/** `wf status ID --context [--sequence N]`: the context at a snapshot and the list of snapshots; exit codes as `wf status`. */
async function contextCommand(executionId: string, options: StatusOptions, out: (line: string) => void): Promise<number> {
  const sequence = options.sequence === undefined ? undefined : parseSequence(options.sequence);
  const config = configWithOrg(options.org);
  const pool = createPool(config.databaseUrl, 1);
  let view: ExecutionContextView | undefined;
  try {
    view = await mirrorContext(pool, config.organizationId, executionId, sequence);
  } finally {
    await pool.end().catch(() => undefined);
  }
  if (!view) {
    const { withClient } = await import('../context');
    view = await withClient(config, (client) => client.context(config.organizationId, executionId, sequence));
  }
  out(options.json ? JSON.stringify(view) : contextText(view));
  return exitCodeForStatus(view.status);
}

function parseSequence(text: string): number {
  const sequence = Number(text);
  if (!/^\d+$/.test(text) || sequence < 1 || sequence > 2_147_483_647) throw new CliError(`--sequence ${JSON.stringify(text)}: must be a snapshot number, an integer from 1`, EXIT.invalid);
  return sequence;
}
