/**
 * Watches execution_steps for the executions in flight, one query per tick (every `periodMs`
 * from one tick's start to the next; a slow query delays the next tick), and notes when each
 * step row was first seen `completed`. A row is timestamped with the bench clock when the
 * query that first returned it was sent: it was committed before that query's snapshot and
 * after the previous one's, so the figure is late by at most one period plus a query.
 */
import type pg from 'pg';

export interface SeenStep {
  /** Date.now() when the first query that returned the row completed was sent. */
  visibleMs: number;
  /** The row's own finished_at (the writer's now(), Postgres's clock), as epoch ms. */
  finishedAtMs: number;
}

export class CompletedStepSampler {
  /** Executions still watched, with how many completed rows they will have. */
  private readonly watched = new Map<string, number>();
  private readonly seen = new Map<string, Map<string, SeenStep>>();
  /** Gaps between consecutive ticks that both queried, ms: the sampler's real resolution. */
  readonly intervals: number[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  private idle: (() => void)[] = [];
  /** Why the sampler stopped on its own (a failed query), if it did. */
  failure: Error | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly periodMs: number,
  ) {}

  /** Starts watching before the execution starts, so none of its rows can land unseen. */
  watch(executionId: string, nodes: number): void {
    this.watched.set(executionId, nodes);
    this.seen.set(executionId, new Map());
  }

  stepsOf(executionId: string): Map<string, SeenStep> {
    return this.seen.get(executionId) ?? new Map();
  }

  /** Executions not yet seen with all their rows completed. */
  pending(): string[] {
    return [...this.watched.keys()];
  }

  start(): void {
    this.loop = this.run();
  }

  /** Resolves once every watched execution has all its rows seen, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.watched.size === 0 || this.failure) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => (clearTimeout(timer), resolve()));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      await this.sample();
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.idle.splice(0).forEach((wake) => wake());
    }
  }

  private async sample(): Promise<void> {
    let previousTick: number | undefined;
    while (!this.stopped) {
      const tick = Date.now();
      const ids = [...this.watched.keys()];
      if (ids.length > 0) {
        if (previousTick !== undefined) this.intervals.push(tick - previousTick);
        previousTick = tick;
        await this.poll(ids, tick);
      } else {
        previousTick = undefined; // an idle gap is not a sample period
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.periodMs - (Date.now() - tick))));
    }
  }

  private async poll(ids: string[], tick: number): Promise<void> {
    const { rows } = await this.pool.query<{ execution_id: string; node_id: string; finished_ms: number | string | null }>({
      name: 'bench/completed-steps',
      text: `SELECT execution_id, node_id, (extract(epoch FROM finished_at) * 1000)::float8 AS finished_ms FROM execution_steps WHERE execution_id = ANY($1::text[]) AND status = 'completed'`,
      values: [ids],
    });
    for (const row of rows) {
      const steps = this.seen.get(row.execution_id)!;
      if (!steps.has(row.node_id)) steps.set(row.node_id, { visibleMs: tick, finishedAtMs: row.finished_ms === null ? NaN : Number(row.finished_ms) });
    }
    for (const id of ids) if (this.seen.get(id)!.size >= this.watched.get(id)!) this.watched.delete(id);
    if (this.watched.size === 0) this.idle.splice(0).forEach((wake) => wake());
  }
}
