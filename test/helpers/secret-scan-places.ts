/**
 * Everywhere test/integration/secret-scan.test.ts looks for secret values, read as a user or
 * an operator would read it: Temporal's history (its CLI and the client), every row of every
 * table, the API's answers and the `wf` command's output.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import type { TestEngine } from './engine';
import { searchableText, type Place } from './secret-scan-search';
import { runWf } from './wf-cli';
import { waitFor } from './wait-for';

const TEMPORAL_CLI = fileURLToPath(new URL('../../.tools/temporal/bin/temporal', import.meta.url));
const run = promisify(execFile);

/** Every workflow on the engine's task queue (graph executions and notification deliveries), once `expected` are all listed. */
export async function workflowIds(engine: TestEngine, expected: string[]): Promise<string[]> {
  return waitFor('every execution in Temporal visibility', 30_000, async () => {
    const ids: string[] = [];
    for await (const workflow of engine.temporal.workflow.list({ query: `TaskQueue = "${engine.taskQueue}"` })) ids.push(workflow.workflowId);
    return expected.every((id) => ids.includes(id)) ? ids : undefined;
  }, 250);
}

/** The history of each workflow as `temporal workflow show --output json` prints it and as the client fetches it. */
export async function historyPlaces(engine: TestEngine, ids: string[]): Promise<Place[]> {
  const places: Place[] = [];
  for (const id of ids) {
    const shown = await run(TEMPORAL_CLI, ['workflow', 'show', '--workflow-id', id, '--output', 'json', '--address', inject('temporalAddress'), '--namespace', 'default'], { maxBuffer: 64 * 1024 * 1024 });
    if (!shown.stdout.includes('"events"')) throw new Error(`temporal workflow show ${id} printed no events:\n${shown.stdout}\n${shown.stderr}`);
    places.push({ where: `temporal workflow show ${id}`, text: searchableText(shown.stdout) + shown.stderr });
    const history = await engine.temporal.workflow.getHandle(id).fetchHistory();
    places.push({ where: `fetchHistory(${id})`, text: searchableText(history) });
  }
  return places;
}

/** Every row of every table of the public schema, as JSON; the row counts by table. */
export async function databasePlaces(engine: TestEngine): Promise<{ places: Place[]; rows: Record<string, number> }> {
  const tables = await engine.pool.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
  const places: Place[] = [];
  const rows: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const found = await engine.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM public."${name.replace(/"/g, '""')}" t`);
    rows[name] = found.rows.length;
    places.push(...found.rows.map((row, i) => ({ where: `table ${name}, row ${i}`, text: searchableText(row.row) })));
  }
  return { places, rows };
}

/** GETs each path as `key` (expecting 200), the answer a place. */
export async function apiPlaces(app: FastifyInstance, key: string, paths: string[]): Promise<Place[]> {
  const places: Place[] = [];
  for (const path of paths) {
    const answer = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
    if (answer.statusCode !== 200) throw new Error(`GET ${path} answered ${answer.statusCode}: ${answer.body}`);
    places.push({ where: `GET ${path}`, text: searchableText(answer.body) + JSON.stringify(answer.headers) });
  }
  return places;
}

/** `wf <args>` against the engine, its stdout and stderr a place; fails unless it exits with `expectedCode`. */
export async function wfPlace(engine: TestEngine, args: string[], expectedCode = 0): Promise<Place> {
  const result = await runWf(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: engine.databaseUrl, WF_TASK_QUEUE: engine.taskQueue, WF_SECRETS_KEY: engine.secretsKey });
  if (result.code !== expectedCode || !result.stdout) throw new Error(`wf ${args.join(' ')} exited ${result.code}, not ${expectedCode}: ${result.stdout}${result.stderr}`);
  return { where: `wf ${args.join(' ')}`, text: `${searchableText(result.stdout)}\n${result.stderr}` };
}
