import type { ExecutionView } from '../../src/client';
import type { Json } from '../../src/workflows/graph/types';
import type { TestEngine } from './engine';

let counter = 0;

/** A unique graph id per call, so tests never collide on (org, id, version). */
export function graphId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function run(engine: TestEngine, graph: Record<string, unknown>, input: Json = null): Promise<ExecutionView> {
  const started = await engine.client.start({ organizationId: 'default', graph: { version: 1, ...graph, id: graph.id ?? graphId('g') }, input });
  return engine.client.waitForEnd('default', started.executionId);
}

/** Step statuses by node id, for compact assertions. */
export function statuses(view: ExecutionView): Record<string, string> {
  return Object.fromEntries(Object.entries(view.steps).map(([id, step]) => [id, step.status]));
}

/** The output a step stored in the mirror. */
export async function stepOutput(engine: TestEngine, executionId: string, nodeId: string): Promise<Json> {
  const found = await engine.pool.query<{ output: Json }>('SELECT output FROM execution_steps WHERE execution_id = $1 AND node_id = $2', [executionId, nodeId]);
  return found.rows[0]?.output ?? null;
}
