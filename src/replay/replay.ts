/**
 * Replays recorded workflow histories against the current workflow code (DESIGN §4
 * "Determinism", §7 `wf replay`). A history is the JSON `temporal workflow show --output json`
 * prints (or the same from `historyToJSON`), read from a file, or fetched from Temporal.
 * Replay runs no activity and writes nothing: the SDK feeds the events to the workflow and
 * checks that the code issues the same commands (timers, activities with the same id and
 * type, markers) in the same order. Code that no longer does must guard its change with
 * `patched()`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, ReplayError, Worker, type Logger, type ReplayWorkerOptions, type RuntimeOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { NotFoundError, UnavailableError } from '../client/errors';
import { sanitizeMessage } from '../common/sanitize';
import { WORKFLOWS_PATH } from '../worker';
import { WORKFLOW_BUNDLER_OPTIONS } from '../workflow-bundle-options';

/** One history to replay, with the workflow id it ran under (histories do not always carry it). */
export interface RecordedHistory {
  workflowId: string;
  history: History;
  /** Where it came from, for messages: a file path or `execution <id>`. */
  source: string;
}

export interface ReplayVerdict {
  source: string;
  workflowId: string;
  runId: string;
  events: number;
  deterministic: boolean;
  /** Why not: the workflow issued other commands than the history records, or its task failed on replay. */
  problem?: { kind: 'nondeterminism' | 'task-failed'; message: string };
}

/**
 * Runtime options for a process that replays: the replay worker's own logs (every failed
 * workflow task, with its stack, from the SDK and from its core) go to `logger` or nowhere,
 * since the verdict already says what matters. Pass to `Runtime.install` before replaying.
 */
export function quietReplayRuntime(logger: Logger = new DefaultLogger('ERROR', () => undefined)): RuntimeOptions {
  return { logger, telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } };
}

/** Which workflow code to replay against: a prebuilt bundle, or the sources (bundled on the fly). */
export type WorkflowCode = Pick<ReplayWorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;

export const CURRENT_WORKFLOW_CODE: WorkflowCode = { workflowsPath: WORKFLOWS_PATH, bundlerOptions: WORKFLOW_BUNDLER_OPTIONS };

/** A history file that cannot be read or is not a workflow history (CLI exit 2). */
export class HistoryFileError extends Error {
  override readonly name = 'HistoryFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses history JSON (the `temporal workflow show --output json` format). */
export function parseHistoryJson(json: unknown, source: string, fallbackWorkflowId: string): RecordedHistory {
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0) throw new HistoryFileError(source, `${source} is not a workflow history: expected {"events": [...]} with at least one event`);
  let history: History;
  try {
    history = historyFromJSON(json);
  } catch (error) {
    throw new HistoryFileError(source, `${source} is not a valid workflow history: ${sanitizeMessage(error instanceof Error ? error.message : String(error))}`);
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new HistoryFileError(source, `${source} is not a workflow history: its first event is not WorkflowExecutionStarted`);
  // Servers since 1.21 record the workflow id in the start event; older files fall back to a name.
  return { workflowId: started.workflowId || fallbackWorkflowId, history, source };
}

export async function readHistoryFile(path: string): Promise<RecordedHistory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new HistoryFileError(path, `cannot read history ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HistoryFileError(path, `history ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseHistoryJson(json, path, basename(path).replace(/\.json$/i, ''));
}

/** The history of the latest run of a workflow id. */
export async function fetchLatestHistory(temporal: Client, workflowId: string): Promise<RecordedHistory> {
  try {
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    return { workflowId, history, source: `execution ${workflowId}` };
  } catch (error) {
    // gRPC NOT_FOUND (5): the raw history call does not wrap it as WorkflowNotFoundError.
    if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && error.code === 5)) throw new NotFoundError('execution', workflowId);
    const message = error instanceof Error ? error.message : String(error);
    if (/UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED|Failed to connect/i.test(message)) {
      throw new UnavailableError('temporal', `Temporal is unreachable (${message.split('\n')[0]})`, { cause: error });
    }
    throw error;
  }
}

/**
 * Proto map fields in a history (payload metadata, marker details, search attributes, memo,
 * header). The Temporal CLI prints map entries sorted by key, protobufjs in insertion order.
 */
const MAP_FIELDS = new Set(['metadata', 'details', 'indexedFields', 'fields']);

/**
 * The history as JSON text, byte for byte what `temporal workflow show --output json` prints
 * (protobufjs's proto JSON, with map entries sorted the way the CLI sorts them).
 */
export function historyJson(history: History): string {
  return `${JSON.stringify(sortMapFields(JSON.parse(historyToJSON(history))), null, 2)}\n`;
}

function sortMapFields(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => sortMapFields(item));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([name, item]) => [name, sortMapFields(item, name)] as const);
  if (key && MAP_FIELDS.has(key)) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/**
 * Replays every history with one replay worker (the workflow code is loaded once) and says,
 * for each, whether the current code is deterministic with it.
 */
export async function replayHistories(histories: readonly RecordedHistory[], code: WorkflowCode = CURRENT_WORKFLOW_CODE, dataConverter?: DataConverter): Promise<ReplayVerdict[]> {
  const verdicts: ReplayVerdict[] = [];
  const results = Worker.runReplayHistories(
    // The codec decodes encrypted payloads (WF_PAYLOAD_KEY) and passes plain ones through.
    { ...code, replayName: 'wf-replay', dataConverter },
    histories.map(({ history, workflowId }) => ({ history, workflowId })),
  );
  let index = 0;
  for await (const result of results) {
    const recorded = histories[index++];
    verdicts.push({
      source: recorded.source,
      workflowId: result.workflowId,
      runId: result.runId,
      events: recorded.history.events?.length ?? 0,
      deterministic: result.error === undefined,
      ...(result.error ? { problem: describeReplayError(result.error) } : {}),
    });
  }
  return verdicts;
}

export async function replayHistory(recorded: RecordedHistory, code: WorkflowCode = CURRENT_WORKFLOW_CODE, dataConverter?: DataConverter): Promise<ReplayVerdict> {
  const [verdict] = await replayHistories([recorded], code, dataConverter);
  if (!verdict) throw new ReplayError(`replay of ${recorded.source} produced no result`);
  return verdict;
}

/**
 * What the code did differently, without the wrapping: the SDK prefixes an explanation, and
 * its core prints the failure as a Rust debug struct around the one message that matters,
 * which may end with a dump of the history event it could not match.
 */
export function describeReplayError(error: Error): NonNullable<ReplayVerdict['problem']> {
  let message = error.message.replace(/^[\s\S]*?Details:\s*/, '');
  const inner = /Failure \{ message: "((?:[^"\\]|\\.)*)"/.exec(message);
  if (inner) message = inner[1].replace(/\\(.)/g, '$1');
  message = message.replace(/HistoryEvent \{ event_id: (\d+),[\s\S]*?event_type: (\w+),[\s\S]*$/, 'event $1 ($2)');
  return {
    kind: error instanceof DeterminismViolationError ? 'nondeterminism' : 'task-failed',
    message: sanitizeMessage(message || error.message),
  };
}
