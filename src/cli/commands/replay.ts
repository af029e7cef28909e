import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { connectTemporal } from '../../client/unavailable';
import { loadConfig } from '../../config';
import type { RecordedHistory } from '../../replay/replay';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { cliDataConverter } from '../payload-key';

export interface ReplayOptions {
  execution?: string;
  file?: string;
}

// The replay module brings the Temporal worker (native code, ~0.4 s to load): loaded only
// when `wf replay` runs, so the other commands stay quick.
const replayModule = () => import('../../replay/replay');

/**
 * `wf replay (--execution ID | --file HISTORY.json)`: replays a history against the current
 * workflow code. Exit 0 when deterministic, 1 when not, 2 for usage or an unreadable file,
 * 3 when Temporal cannot be reached.
 */
export async function replayCommand(options: ReplayOptions, out: (line: string) => void): Promise<number> {
  if (Boolean(options.execution) === Boolean(options.file)) throw new CliError('replay needs exactly one of --execution ID or --file HISTORY.json', EXIT.invalid);
  // Histories from an engine with WF_PAYLOAD_KEY hold encrypted payloads: replay decodes them with the same keys.
  const dataConverter = cliDataConverter();
  const recorded = options.file ? await fromFile(options.file) : await fromTemporal(options.execution!, dataConverter);
  const { quietReplayRuntime, replayHistory } = await replayModule();
  const { Runtime } = await import('@temporalio/worker');
  // Only now: an installed runtime keeps the process alive until a worker has come and gone.
  Runtime.install(quietReplayRuntime());
  const verdict = await replayHistory(recorded, undefined, dataConverter);
  if (verdict.deterministic) {
    out(`deterministic: replayed ${verdict.events} events of ${verdict.workflowId} (run ${verdict.runId})`);
    return EXIT.ok;
  }
  const problem = verdict.problem!;
  throw new CliError(`NOT deterministic: ${problem.message}`, EXIT.executionFailed, [
    `  ${recorded.source}: ${verdict.events} events of ${verdict.workflowId} (run ${verdict.runId})`,
    problem.kind === 'nondeterminism'
      ? '  the current workflow code issues other commands than this history records; guard the change with patched() (README: Replay and determinism)'
      : '  the workflow task failed while replaying this history with the current code',
  ]);
}

async function fromFile(path: string): Promise<RecordedHistory> {
  const { HistoryFileError, readHistoryFile } = await replayModule();
  try {
    return await readHistoryFile(path);
  } catch (error) {
    if (error instanceof HistoryFileError) throw new CliError(error.message, EXIT.invalid);
    throw error;
  }
}

async function fromTemporal(workflowId: string, dataConverter: DataConverter | undefined): Promise<RecordedHistory> {
  const config = loadConfig();
  const connection = await connectTemporal(config);
  try {
    const { fetchLatestHistory } = await replayModule();
    return await fetchLatestHistory(new Client({ connection, namespace: config.temporalNamespace, dataConverter }), workflowId);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
