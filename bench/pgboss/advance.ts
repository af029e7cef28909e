/**
 * The BFS step, inside the transaction that finished some nodes: write their step rows,
 * count their successors' inputs off, and for each successor that has all its inputs either
 * evaluate it right here (inline nodes: transform, noop, an empty map) and go on from it, or
 * hand back its job to enqueue in the same transaction. A tuned BFS executor does this, and it
 * is what keeps a 10,000-node graph of mostly inline nodes from becoming 10,000 jobs.
 */
import type { Db } from 'pg-boss';
import { DEFAULT_MAP_CONCURRENCY, itemStepId, type MapConfig } from '../../src/workflows/graph/node-types/map';
import type { Json } from '../../src/workflows/graph/types';
import { renderConfig, renderItemConfig, runInline, type ExecutionVariable, type NodeFailure } from './nodes';
import type { Plan } from './plan';
import { completeExecutions, countOffSinks, failExecution } from './sql/executions';
import { insertMap, countOffItems } from './sql/maps';
import { insertSteps, readItemOutputs, readOutputs, type StepRow } from './sql/steps';
import type { Tables } from './sql/tables';
import { countOffInputs } from './sql/waits';

/** A running execution as the workers know it. */
export interface ExecutionContext {
  plan: Plan;
  execution: ExecutionVariable;
}

/** A pg-boss job's data: one mock node, or one item of a map (`i`), with its rendered config and input. */
export interface StepJob {
  e: string;
  n: string;
  i?: number;
  c: Json;
  x: Json;
}

export interface Finished {
  executionId: string;
  nodeId: string;
  output: Json;
  startedAt: string;
}
export interface ItemFinished {
  executionId: string;
  mapId: string;
  index: number;
  output: Json;
  startedAt: string;
}
export interface Failed {
  executionId: string;
  nodeId: string;
  stepId: string;
  error: NodeFailure;
  startedAt: string;
}
export interface Ready {
  executionId: string;
  nodeId: string;
  input: Json;
}

export type Ended = { id: string; status: 'completed'; output: Json } | { id: string; status: 'failed'; error: NodeFailure & { nodeId: string } };

export interface Seeds {
  finished?: Finished[];
  items?: ItemFinished[];
  failed?: Failed[];
  ready?: Ready[];
}

const key = (executionId: string, nodeId: string): string => `${executionId} ${nodeId}`;

export async function advance(db: Db, t: Tables, contexts: ReadonlyMap<string, ExecutionContext>, seeds: Seeds): Promise<{ jobs: StepJob[]; ended: Ended[] }> {
  const run = new Advance(db, t, contexts);
  for (const failure of seeds.failed ?? []) await run.fail(failure);
  await run.itemsFinished(seeds.items ?? []);
  run.finished.push(...(seeds.finished ?? []));
  run.ready.push(...(seeds.ready ?? []));
  await run.cascade();
  return { jobs: run.jobs, ended: run.ended };
}

class Advance {
  readonly jobs: StepJob[] = [];
  readonly ended: Ended[] = [];
  readonly finished: Finished[] = [];
  readonly ready: Ready[] = [];
  private readonly steps: StepRow[] = [];
  /** Outputs finished in this transaction: a join's inputs are read from here before the database. */
  private readonly outputs = new Map<string, Json>();
  private readonly failedHere = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly t: Tables,
    private readonly contexts: ReadonlyMap<string, ExecutionContext>,
  ) {}

  private context(executionId: string): ExecutionContext {
    const context = this.contexts.get(executionId);
    if (!context) throw new Error(`execution ${executionId} is not loaded`);
    return context;
  }

  private live(executionId: string): boolean {
    return !this.failedHere.has(executionId);
  }

  async fail(failure: Failed): Promise<void> {
    const now = new Date().toISOString();
    this.steps.push({ execution_id: failure.executionId, node_id: failure.stepId, status: 'failed', output: null, error: failure.error, started_at: failure.startedAt, finished_at: now });
    if (!this.live(failure.executionId)) return;
    this.failedHere.add(failure.executionId);
    const error = { nodeId: failure.stepId, ...failure.error };
    if (await failExecution(this.db, this.t, failure.executionId, error)) this.ended.push({ id: failure.executionId, status: 'failed', error });
  }

  private async flushSteps(): Promise<void> {
    await insertSteps(this.db, this.t, this.steps.splice(0));
  }

  /** Map items done: their steps, the next items released, and the maps whose items are all done finished. */
  async itemsFinished(items: ItemFinished[]): Promise<void> {
    const live = items.filter((item) => this.live(item.executionId));
    if (live.length === 0) return;
    const now = new Date().toISOString();
    const counts = new Map<string, { execution_id: string; node_id: string; n: number }>();
    for (const item of live) {
      this.steps.push({ execution_id: item.executionId, node_id: itemStepId(item.mapId, item.index), status: 'completed', output: item.output, error: null, started_at: item.startedAt, finished_at: now });
      const count = counts.get(key(item.executionId, item.mapId)) ?? { execution_id: item.executionId, node_id: item.mapId, n: 0 };
      count.n++;
      counts.set(key(item.executionId, item.mapId), count);
    }
    await this.flushSteps();
    for (const progress of await countOffItems(this.db, this.t, [...counts.values()])) {
      const { plan, execution } = this.context(progress.execution_id);
      const planned = plan.nodes.get(progress.node_id)!;
      const config = planned.node.config as MapConfig;
      for (const [offset, item] of progress.released.entries()) await this.releaseItem(progress.execution_id, progress.node_id, config, progress.input, item, progress.from_index + offset, execution);
      if (progress.done === progress.total) {
        const stepIds = Array.from({ length: progress.total }, (_, index) => itemStepId(progress.node_id, index));
        const output = await readItemOutputs(this.db, this.t, progress.execution_id, stepIds);
        this.finished.push({ executionId: progress.execution_id, nodeId: progress.node_id, output, startedAt: now });
      }
    }
  }

  private async releaseItem(executionId: string, mapId: string, config: MapConfig, mapInput: Json, item: Json, index: number, execution: ExecutionVariable): Promise<void> {
    const planned = this.context(executionId).plan.nodes.get(mapId)!;
    const rendered = renderItemConfig(planned, config, mapInput, item, index, execution);
    if (!rendered.ok) return this.fail({ executionId, nodeId: mapId, stepId: itemStepId(mapId, index), error: rendered.error, startedAt: new Date().toISOString() });
    this.jobs.push({ e: executionId, n: mapId, i: index, c: rendered.value, x: item });
  }

  /** Ready nodes dispatched, finished ones followed to their successors, until nothing inline is left. */
  async cascade(): Promise<void> {
    while (this.ready.length > 0 || this.finished.length > 0) {
      for (const ready of this.ready.splice(0)) if (this.live(ready.executionId)) await this.dispatch(ready);
      const finished = this.finished.splice(0).filter((done) => this.live(done.executionId));
      const now = new Date().toISOString();
      for (const done of finished) {
        this.steps.push({ execution_id: done.executionId, node_id: done.nodeId, status: 'completed', output: done.output, error: null, started_at: done.startedAt, finished_at: now });
        this.outputs.set(key(done.executionId, done.nodeId), done.output);
      }
      await this.flushSteps();
      await this.endAtSinks(finished);
      await this.readySuccessors(finished);
    }
  }

  private async dispatch(ready: Ready): Promise<void> {
    const { plan, execution } = this.context(ready.executionId);
    const planned = plan.nodes.get(ready.nodeId)!;
    const startedAt = new Date().toISOString();
    const rendered = renderConfig(planned, ready.input, execution);
    if (!rendered.ok) return this.fail({ executionId: ready.executionId, nodeId: ready.nodeId, stepId: ready.nodeId, error: rendered.error, startedAt });
    if (planned.spec.runtime === 'inline') {
      this.finished.push({ executionId: ready.executionId, nodeId: ready.nodeId, output: runInline(planned, rendered.value, ready.input), startedAt });
    } else if (planned.spec.runtime === 'map') {
      const config = rendered.value as MapConfig;
      const items = config.items as Json[];
      if (items.length === 0) return void this.finished.push({ executionId: ready.executionId, nodeId: ready.nodeId, output: [], startedAt });
      const released = Math.min(items.length, config.maxConcurrency ?? DEFAULT_MAP_CONCURRENCY);
      await insertMap(this.db, this.t, { executionId: ready.executionId, nodeId: ready.nodeId, input: ready.input, items, released });
      for (let index = 0; index < released; index++) await this.releaseItem(ready.executionId, ready.nodeId, config, ready.input, items[index], index, execution);
    } else {
      this.jobs.push({ e: ready.executionId, n: ready.nodeId, c: rendered.value, x: ready.input });
    }
  }

  /** The output of the single sink, or the sinks' outputs by id once the last of them finished (DESIGN §4). */
  private async endAtSinks(finished: Finished[]): Promise<void> {
    const completed: { id: string; output: Json }[] = [];
    const sinkCounts = new Map<string, number>();
    for (const done of finished) {
      const { plan } = this.context(done.executionId);
      if (plan.nodes.get(done.nodeId)!.successors.length > 0) continue;
      if (plan.sinks.length === 1) completed.push({ id: done.executionId, output: done.output });
      else sinkCounts.set(done.executionId, (sinkCounts.get(done.executionId) ?? 0) + 1);
    }
    if (sinkCounts.size > 0) {
      for (const id of await countOffSinks(this.db, this.t, [...sinkCounts].map(([id, n]) => ({ id, n })))) {
        const { sinks } = this.context(id).plan;
        const outputs = await this.outputsOf(id, sinks);
        completed.push({ id, output: Object.fromEntries(sinks.map((sink) => [sink, outputs.get(key(id, sink)) ?? null])) });
      }
    }
    if (completed.length === 0) return;
    await completeExecutions(this.db, this.t, completed);
    for (const { id, output } of completed) this.ended.push({ id, status: 'completed', output });
  }

  private async readySuccessors(finished: Finished[]): Promise<void> {
    const counts = new Map<string, { execution_id: string; node_id: string; n: number }>();
    for (const done of finished) {
      for (const successor of this.context(done.executionId).plan.nodes.get(done.nodeId)!.successors) {
        const inputs = this.context(done.executionId).plan.nodes.get(successor)!.predecessors;
        if (inputs.length === 1) {
          this.ready.push({ executionId: done.executionId, nodeId: successor, input: done.output });
          continue;
        }
        const count = counts.get(key(done.executionId, successor)) ?? { execution_id: done.executionId, node_id: successor, n: 0 };
        count.n++;
        counts.set(key(done.executionId, successor), count);
      }
    }
    const joined = await countOffInputs(this.db, this.t, [...counts.values()]);
    const wanted = joined.flatMap((join) => this.context(join.execution_id).plan.nodes.get(join.node_id)!.predecessors.map((from) => ({ executionId: join.execution_id, nodeId: from })));
    const outputs = await this.outputsOfMany(wanted);
    for (const join of joined) {
      const inputs = this.context(join.execution_id).plan.nodes.get(join.node_id)!.predecessors;
      this.ready.push({ executionId: join.execution_id, nodeId: join.node_id, input: Object.fromEntries(inputs.map((from) => [from, outputs.get(key(join.execution_id, from)) ?? null])) });
    }
  }

  private outputsOf(executionId: string, nodeIds: string[]): Promise<Map<string, Json>> {
    return this.outputsOfMany(nodeIds.map((nodeId) => ({ executionId, nodeId })));
  }

  /** Outputs from this transaction where it made them, the rest in one read. */
  private async outputsOfMany(wanted: { executionId: string; nodeId: string }[]): Promise<Map<string, Json>> {
    const found = new Map<string, Json>();
    const missing: { execution_id: string; node_id: string }[] = [];
    for (const { executionId, nodeId } of wanted) {
      const k = key(executionId, nodeId);
      if (this.outputs.has(k)) found.set(k, this.outputs.get(k)!);
      else missing.push({ execution_id: executionId, node_id: nodeId });
    }
    for (const [k, output] of await readOutputs(this.db, this.t, missing)) found.set(k, output);
    return found;
  }
}
