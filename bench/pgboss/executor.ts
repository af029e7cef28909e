/**
 * A BFS graph executor on pg-boss, for the benchmark (issue 14): the design of seed 004,
 * tuned. Each mock node and map item is a pg-boss job; a transactional worker settles a batch
 * of jobs, writes their steps, readies their successors and enqueues their jobs in one
 * transaction (bench/pgboss/advance.ts), then wakes idle workers so the next step does not
 * wait for the polling interval. run() learns of the end from the transaction that made it,
 * with a slow poll of the executions table as the fallback (another process ended it).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PgBoss, type Db, type Job, type JobWithMetadata } from 'pg-boss';
import type { Json } from '../../src/workflows/graph/types';
import { advance, type Ended, type Failed, type Finished, type ItemFinished, type StepJob } from './advance';
import { ExecutionContexts, graphHash } from './contexts';
import { afterCommit, inTransaction, poolAdapter } from './db-adapter';
import { ExecutionFailedError } from './errors';
import { mockOutput } from './nodes';
import { planFor } from './plan';
import { itemStepId } from '../../src/workflows/graph/node-types/map';
import { failExecution, insertExecution, readEnded, storeGraph } from './sql/executions';
import { createTables, type Tables } from './sql/tables';
import { insertWaits } from './sql/waits';
import type { MockConfig } from '../../src/workflows/graph/node-types/mock';

export interface PgBossExecutorOptions {
  /** The pool every statement goes through, pg-boss's included. Needs a connection per worker and a few more. */
  pool: pg.Pool;
  /** pg-boss's schema. @default 'pgboss' */
  schema?: string;
  /** The executor's own tables' schema. @default 'pgb_exec' */
  tablesSchema?: string;
  /** Jobs worked at once in this process: workers × batchSize. */
  concurrency: number;
  /**
   * Jobs one worker fetches and settles in one transaction. A commit is the dearest part of a
   * step, so fewer, fuller transactions win: on the 2-core test machine, 10-node chains with 8 in
   * flight ran at 45-84 exec/s with one worker of 8, 53 with two of 4 and 22 with eight of 1.
   * @default min(concurrency, 8)
   */
  batchSize?: number;
  /** pg-boss's polling interval, the fallback when no wake-up comes. @default 0.5 (pg-boss's least) */
  pollingIntervalSeconds?: number;
  /** How often run() looks for executions another process ended. @default 500 */
  endPollMs?: number;
  /** pg-boss's queue of step jobs. @default 'pgb-exec-steps' */
  queue?: string;
  /** pg-boss and worker errors (a failed batch is retried by pg-boss). @default console.error */
  onError?: (error: unknown) => void;
}

interface Waiter {
  resolve(result: { executionId: string; output: Json }): void;
  reject(error: Error): void;
}

/** Retries of a job whose transaction failed (a deadlock, a lost connection); then its dead letter fails the execution. */
const JOB_RETRY_LIMIT = 3;

export class PgBossExecutor {
  private readonly waiters = new Map<string, Waiter>();
  private readonly storedGraphs = new Set<string>();
  private readonly workerIds: string[] = [];
  private readonly busy: boolean[] = [];
  private nextWake = 0;
  private endPoll?: NodeJS.Timeout;

  private constructor(
    private readonly boss: PgBoss,
    private readonly adapter: ReturnType<typeof poolAdapter>,
    private readonly tables: Tables,
    private readonly contexts: ExecutionContexts,
    private readonly queue: string,
    private readonly batchSize: number,
  ) {}

  static async start(options: PgBossExecutorOptions): Promise<PgBossExecutor> {
    const adapter = poolAdapter(options.pool);
    const tables = await createTables(adapter, options.tablesSchema ?? 'pgb_exec');
    const onError = options.onError ?? ((error: unknown) => console.error('pg-boss executor:', error));
    // No cron and no instance registry: neither has a part in running graphs, and both poll.
    const boss = new PgBoss({ db: adapter, schema: options.schema ?? 'pgboss', schedule: false, registerInstance: false });
    boss.on('error', onError);
    await boss.start();
    const queue = options.queue ?? 'pgb-exec-steps';
    const deadLetters = `${queue}-dead`;
    await boss.createQueue(deadLetters);
    await boss.createQueue(queue, { retryLimit: JOB_RETRY_LIMIT, deadLetter: deadLetters });
    const batchSize = options.batchSize ?? Math.min(options.concurrency, 8);
    const executor = new PgBossExecutor(boss, adapter, tables, new ExecutionContexts(tables), queue, batchSize);
    const workers = Math.max(1, Math.ceil(options.concurrency / batchSize));
    const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
    for (let index = 0; index < workers; index++) {
      executor.busy.push(false);
      // One work() per worker, each with its own handler, so a wake-up can go to an idle one.
      // transactionTimeoutSeconds 0: no database-side bound, which pg-boss would set per batch.
      const id = await boss.work(queue, { batchSize, pollingIntervalSeconds, burstWhenBatchFull: true, transactional: true, transactionTimeoutSeconds: 0 }, (jobs: Job<StepJob>[], tx: Db) =>
        executor.handle(index, jobs, tx),
      );
      executor.workerIds.push(id);
    }
    await boss.work(deadLetters, { pollingIntervalSeconds: 1, includeMetadata: true }, (jobs: JobWithMetadata<StepJob>[]) => executor.handleDeadLetters(jobs));
    executor.endPoll = setInterval(() => void executor.pollEnded().catch(onError), options.endPollMs ?? 500);
    return executor;
  }

  /** Runs `graph` (validated and checked here, once per document object); resolves with its output when it ends. */
  async run(graph: unknown, input: Json): Promise<{ executionId: string; output: Json }> {
    const plan = planFor(graph);
    const id = randomUUID();
    const hash = graphHash(plan.graph);
    const ended = new Promise<{ executionId: string; output: Json }>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    const contexts = new Map([[id, this.contexts.add(id, plan, input)]]);
    try {
      await inTransaction(this.adapter, async (tx) => {
        if (!this.storedGraphs.has(hash)) await storeGraph(tx, this.tables, hash, plan.graph as unknown as Json);
        await insertExecution(tx, this.tables, { id, graphHash: hash, input, sinks: plan.sinks.length });
        await insertWaits(tx, this.tables, id, plan.joins);
        const outcome = await advance(tx, this.tables, contexts, { ready: plan.starts.map((nodeId) => ({ executionId: id, nodeId, input })) });
        await this.enqueue(tx, outcome.jobs, outcome.ended);
      });
    } catch (error) {
      this.waiters.delete(id);
      this.contexts.end(id);
      throw error;
    }
    this.storedGraphs.add(hash);
    return ended;
  }

  async stop(): Promise<void> {
    clearInterval(this.endPoll);
    await this.boss.stop({ graceful: true, close: false });
    for (const [id, waiter] of this.waiters) waiter.reject(new Error(`the executor stopped before execution ${id} ended`));
    this.waiters.clear();
  }

  /** One worker's batch, in the transaction pg-boss completes the jobs in. */
  private async handle(worker: number, jobs: Job<StepJob>[], tx: Db): Promise<void> {
    this.busy[worker] = true;
    try {
      const startedAt = new Date().toISOString();
      const contexts = await this.contexts.load(tx, jobs.map((job) => job.data.e));
      const finished: Finished[] = [];
      const items: ItemFinished[] = [];
      const failed: Failed[] = [];
      for (const { data } of jobs) {
        if (!contexts.has(data.e)) continue;
        const stepId = data.i === undefined ? data.n : itemStepId(data.n, data.i);
        const result = mockOutput(stepId, data.c as MockConfig, data.x);
        if (!result.ok) failed.push({ executionId: data.e, nodeId: data.n, stepId, error: result.error, startedAt });
        else if (data.i === undefined) finished.push({ executionId: data.e, nodeId: data.n, output: result.value, startedAt });
        else items.push({ executionId: data.e, mapId: data.n, index: data.i, output: result.value, startedAt });
      }
      const outcome = await advance(tx, this.tables, contexts, { finished, items, failed });
      await this.enqueue(tx, outcome.jobs, outcome.ended, worker);
    } catch (error) {
      this.busy[worker] = false;
      throw error;
    }
  }

  /** New jobs into the same transaction; once it commits, idle workers woken and ended runs settled. */
  private async enqueue(tx: Db, jobs: StepJob[], ended: Ended[], worker?: number): Promise<void> {
    if (jobs.length > 0) await this.boss.insert(this.queue, jobs.map((data) => ({ data })), { db: tx });
    afterCommit(tx, () => {
      if (worker !== undefined) this.busy[worker] = false;
      this.wake(jobs.length);
      for (const end of ended) this.settle(end);
    });
  }

  /** Enough workers for `jobs` new jobs, idle ones first (a busy one notified fetches again as soon as it is done). */
  private wake(jobs: number): void {
    let wanted = Math.min(this.workerIds.length, Math.ceil(jobs / this.batchSize));
    const order = this.workerIds.map((_, offset) => (this.nextWake + offset) % this.workerIds.length);
    for (const index of [...order.filter((i) => !this.busy[i]), ...order.filter((i) => this.busy[i])]) {
      if (wanted-- <= 0) break;
      this.boss.notifyWorker(this.workerIds[index]);
      this.nextWake = index + 1;
    }
  }

  private settle(end: Ended): void {
    this.contexts.end(end.id);
    const waiter = this.waiters.get(end.id);
    if (!waiter) return;
    this.waiters.delete(end.id);
    if (end.status === 'completed') waiter.resolve({ executionId: end.id, output: end.output });
    else waiter.reject(new ExecutionFailedError(end.id, end.error));
  }

  /** A job pg-boss gave up on (its transaction kept failing): its execution fails with the job's last error. */
  private async handleDeadLetters(jobs: JobWithMetadata<StepJob>[]): Promise<void> {
    for (const job of jobs) {
      const stepId = job.data.i === undefined ? job.data.n : itemStepId(job.data.n, job.data.i);
      const cause = job.sourceOutput as { message?: string } | null;
      const error = { nodeId: stepId, type: 'JobFailed', message: `its pg-boss job failed ${JOB_RETRY_LIMIT + 1} times: ${cause?.message ?? JSON.stringify(cause)}` };
      if (await failExecution(this.adapter, this.tables, job.data.e, error)) this.settle({ id: job.data.e, status: 'failed', error });
    }
  }

  private async pollEnded(): Promise<void> {
    if (this.waiters.size === 0) return;
    for (const row of await readEnded(this.adapter, this.tables, [...this.waiters.keys()])) {
      if (row.status === 'completed') this.settle({ id: row.id, status: 'completed', output: row.output });
      else this.settle({ id: row.id, status: 'failed', error: { nodeId: row.error?.nodeId ?? '?', type: row.error?.type ?? 'Failed', message: row.error?.message ?? 'failed' } });
    }
  }
}
