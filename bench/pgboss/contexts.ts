/**
 * The executions this process works on: their plan and `execution` variable, kept from run()
 * and loaded from the tables for a job whose execution another process started. An execution
 * that ended is remembered, so jobs still queued for it (the other branches of a failed one)
 * are settled without effect.
 */
import { createHash } from 'node:crypto';
import type { Db } from 'pg-boss';
import type { GraphDocument, Json } from '../../src/workflows/graph/types';
import type { ExecutionContext } from './advance';
import { planFor, type Plan } from './plan';
import { loadExecution } from './sql/executions';
import type { Tables } from './sql/tables';

export class ExecutionContexts {
  private readonly running = new Map<string, ExecutionContext>();
  private readonly ended = new Set<string>();

  constructor(private readonly t: Tables) {}

  add(id: string, plan: Plan, input: Json): ExecutionContext {
    const context = { plan, execution: { id, input, graphId: plan.graph.id, graphVersion: plan.graph.version, organizationId: '' } };
    this.running.set(id, context);
    return context;
  }

  end(id: string): void {
    this.running.delete(id);
    this.ended.add(id);
  }

  hasEnded(id: string): boolean {
    return this.ended.has(id);
  }

  /** The contexts of `ids`, loading any this process has not seen; ended executions are left out. */
  async load(db: Db, ids: Iterable<string>): Promise<Map<string, ExecutionContext>> {
    const found = new Map<string, ExecutionContext>();
    for (const id of new Set(ids)) {
      if (this.ended.has(id)) continue;
      let context = this.running.get(id);
      if (!context) {
        const row = await loadExecution(db, this.t, id);
        if (!row || row.status !== 'running') {
          this.ended.add(id);
          continue;
        }
        context = this.add(id, planFor(row.document), row.input);
      }
      found.set(id, context);
    }
    return found;
  }
}

const hashes = new WeakMap<object, string>();
/** A graph document's content hash, its key in the graphs table; computed once per document object. */
export function graphHash(graph: GraphDocument): string {
  let hash = hashes.get(graph);
  if (!hash) {
    hash = createHash('sha256').update(JSON.stringify(graph)).digest('hex');
    hashes.set(graph, hash);
  }
  return hash;
}
