/**
 * Records the histories of the representative graphs for `test/histories/` (`npm run
 * histories:record`): a throwaway stack (in-memory Temporal dev server, ephemeral embedded
 * Postgres, a worker on the current workflow code), each graph run to its end through the
 * client, and its history saved in the JSON format `temporal workflow show --output json`
 * prints. Everything started here is stopped here.
 */
import { mkdirSync, mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { EngineClient } from '../client';
import { createLogger } from '../common/create-logger';
import type { Logger } from '../common/logger';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { freePort } from '../stack/free-port';
import { startEmbeddedPostgres, type RunningPostgres } from '../stack/postgres';
import { startDevServer, type DevServer } from '../stack/temporal-server';
import { createEngineWorker } from '../worker';
import { historyJson } from './replay';
import { REPRESENTATIVE_GRAPHS } from './representative-graphs';

/**
 * `work`, or after `ms` an error saying what did not end. The stuck workflow is terminated
 * first, so the client's long poll on it returns before its connection is closed.
 */
async function within<T>(work: Promise<T>, ms: number, what: string, giveUp: () => Promise<unknown>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), ms);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), expired]);
    if (first !== 'expired') return first.value;
  } finally {
    clearTimeout(timer);
  }
  await giveUp().catch(() => undefined);
  await work.catch(() => undefined);
  throw new Error(`${what} did not end within ${ms / 1000}s, so it was terminated (--verbose shows the worker's warnings)`);
}


export interface RecordOptions {
  outDir: string;
  /** Only these names (default: all). */
  only?: readonly string[];
  say?: (line: string) => void;
  /** Show the worker's and the SDK's warnings (stderr), e.g. when a recording hangs. */
  verbose?: boolean;
  /** Give up on one execution after this long (default 60 s): a stuck recording says which. */
  timeoutMs?: number;
}

export interface Recorded {
  name: string;
  file: string;
  executionId: string;
  status: string;
  events: number;
}

export interface RecordResult {
  recorded: Recorded[];
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function recordHistories(options: RecordOptions): Promise<RecordResult> {
  const say = options.say ?? (() => undefined);
  const wanted = REPRESENTATIVE_GRAPHS.filter((graph) => !options.only?.length || options.only.includes(graph.name));
  const unknown = (options.only ?? []).filter((name) => !REPRESENTATIVE_GRAPHS.some((graph) => graph.name === name));
  if (unknown.length) throw new Error(`unknown history name(s): ${unknown.join(', ')}; known: ${REPRESENTATIVE_GRAPHS.map((g) => g.name).join(', ')}`);
  const recorded: Recorded[] = [];
  const timeoutMs = options.timeoutMs ?? 60_000;

  const level = options.verbose ? 'WARN' : 'ERROR';
  Runtime.install({ logger: new DefaultLogger(level), telemetryOptions: { logging: { filter: { core: level, other: level } } } });
  const logger = options.verbose ? createLogger('wf-record', 'warn') : silent;
  const workDir = mkdtempSync(join(tmpdir(), 'wf-record-'));
  // Postgres runs as its own system user when we are root: it must be able to reach its dir.
  chmodSync(workDir, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    say('starting Temporal dev server and PostgreSQL…');
    const [server, postgres] = await startBoth(workDir, stops);
    await migrate(postgres.url);
    const pool = createPool(postgres.url);
    stops.push(() => pool.end());
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const temporal = new Client({ connection, namespace: 'default' });
    const taskQueue = 'wf-record-histories';
    const client = new EngineClient({ temporal, pool, taskQueue });
    const native = await NativeConnection.connect({ address: server.address });
    stops.push(() => native.close());
    say('starting worker (bundling workflows)…');
    const worker: Worker = await createEngineWorker({ connection: native, namespace: 'default', taskQueue, pool, logger });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    mkdirSync(options.outDir, { recursive: true });
    for (const item of wanted) {
      await item.prepare?.({ client, temporal });
      const started = await client.start({ organizationId: 'default', graph: item.graph, input: item.input, continueAsNewAtEvents: item.continueAsNewAtEvents });
      await item.drive?.({ client, temporal }, started.executionId);
      const terminate = () => temporal.workflow.getHandle(started.executionId).terminate('recording timed out');
      const view = await within(client.waitForEnd('default', started.executionId), timeoutMs, `${item.name}: execution ${started.executionId}`, terminate);
      const problem = view.status !== item.expectStatus ? `ended ${view.status}, expected ${item.expectStatus}` : item.verify?.(view);
      if (problem) throw new Error(`${item.name}: execution ${started.executionId} ${problem}`);
      const save = async (name: string, workflowId: string, status: string): Promise<void> => {
        for (const run of await saveRuns(temporal, options.outDir, name, workflowId, status)) {
          recorded.push(run);
          say(`  ${run.name}: ${run.status}, ${run.events} events → ${run.file}`);
        }
      };
      if (item.save !== false) await save(item.name, started.executionId, view.status);
      for (const next of (await item.after?.({ client, temporal }, started.executionId)) ?? []) {
        const handle = temporal.workflow.getHandle(next.workflowId);
        await within(handle.result().catch(() => undefined), timeoutMs, `${next.name}: workflow ${next.workflowId}`, () => handle.terminate('recording timed out'));
        await save(next.name, next.workflowId, (await handle.describe()).status.name.toLowerCase());
      }
    }
    return { recorded };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Saves every run of a workflow: a continued execution is several runs, each its own history
 * (the later ones start from carried state), saved as NAME-run-1.json, NAME-run-2.json…
 */
async function saveRuns(temporal: Client, outDir: string, name: string, workflowId: string, status: string): Promise<Recorded[]> {
  const runs = [await temporal.workflow.getHandle(workflowId).fetchHistory()];
  for (;;) {
    const previous = runs[0].events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) break;
    runs.unshift(await temporal.workflow.getHandle(workflowId, previous).fetchHistory());
  }
  return runs.map((history, index) => {
    const runName = runs.length > 1 ? `${name}-run-${index + 1}` : name;
    const file = join(outDir, `${runName}.json`);
    writeFileSync(file, historyJson(history));
    return { name: runName, file, executionId: workflowId, status: index < runs.length - 1 ? 'continued as new' : status, events: history.events?.length ?? 0 };
  });
}

async function startBoth(workDir: string, stops: (() => Promise<unknown>)[]): Promise<[DevServer, RunningPostgres]> {
  const [server, postgres] = await Promise.allSettled([
    startDevServer(),
    freePort().then((port) => startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), port, database: 'wf_record', ephemeral: true })),
  ]);
  if (server.status === 'fulfilled') stops.push(() => server.value.stop());
  if (postgres.status === 'fulfilled') stops.push(() => postgres.value.stop());
  if (server.status === 'rejected') throw server.reason;
  if (postgres.status === 'rejected') throw postgres.reason;
  return [server.value, postgres.value];
}
