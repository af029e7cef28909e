import type { Queryable } from '../query';
import { resolvePayloads } from '../../payload-refs/resolve';
import type { ExecutionError } from '../../workflows/graph/failures';
import type { MapProgress } from '../../workflows/contracts/mirror';
import type { ExecutionStatus, Json, NodeError, StepStatus } from '../../workflows/graph/types';

/** An execution as the mirror shows it: the JSON shape of `wf status --json` (DESIGN §7). */
export interface ExecutionView {
  executionId: string;
  organizationId: string;
  graphId: string;
  graphVersion: number;
  status: ExecutionStatus;
  output: Json;
  error: ExecutionError | null;
  retryOf?: string;
  /** The schedule that started it. */
  scheduleId?: string;
  /** A subgraph's child: the execution whose `subgraph` node started it. */
  parentExecutionId?: string;
  /** The child executions its `subgraph` nodes started, by node, in start order. */
  children?: ChildView[];
  /** When it was submitted, for an execution that waited for a concurrency slot. */
  queuedAt?: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: Record<string, StepView>;
}

export interface ChildView {
  nodeId: string;
  executionId: string;
  graphId: string;
  graphVersion: number;
  status: ExecutionStatus;
}

export interface StepView {
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error?: NodeError;
  reused?: boolean;
  /** It ran (or runs) as a local activity (`"local": true`). */
  local?: boolean;
  /** A map step: its items in all, completed and failed so far. */
  progress?: MapProgress;
}

interface ExecutionRow {
  id: string;
  organization_id: string;
  graph_id: string;
  graph_version: number;
  status: ExecutionStatus;
  output: Json;
  error: ExecutionError | null;
  retry_of: string | null;
  schedule_id: string | null;
  parent_execution_id: string | null;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
}

interface StepRow {
  node_id: string;
  status: StepStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  error: NodeError | null;
  reused: boolean;
  local: boolean;
  progress: MapProgress | null;
}

/** Reads one execution and its steps, scoped to the organization; undefined when absent. */
export async function readExecution(db: Queryable, organizationId: string, executionId: string): Promise<ExecutionView | undefined> {
  const found = await db.query<ExecutionRow>({
    name: 'executions/read-execution',
    text: `SELECT id, organization_id, graph_id, graph_version, status, output, error, retry_of, schedule_id, parent_execution_id, queued_at, started_at, finished_at
       FROM executions WHERE id = $1 AND organization_id = $2`,
    values: [executionId, organizationId],
  });
  const row = found.rows[0];
  if (!row) return undefined;
  const stepRows = await db.query<StepRow>({
    name: 'executions/read-execution-steps',
    text: `SELECT node_id, status, attempts, started_at, finished_at, error, reused, local, progress
       FROM execution_steps WHERE execution_id = $1 AND organization_id = $2
      ORDER BY started_at NULLS LAST, node_id`,
    values: [executionId, organizationId],
  });
  const children = await readChildren(db, organizationId, executionId);
  const steps: Record<string, StepView> = {};
  for (const step of stepRows.rows) {
    steps[step.node_id] = {
      status: step.status,
      attempts: step.attempts,
      startedAt: step.started_at,
      finishedAt: step.finished_at,
      ...(step.error ? { error: step.error } : {}),
      ...(step.reused ? { reused: true } : {}),
      ...(step.local ? { local: true } : {}),
      ...(step.progress ? { progress: step.progress } : {}),
    };
  }
  return {
    executionId: row.id,
    organizationId: row.organization_id,
    graphId: row.graph_id,
    graphVersion: row.graph_version,
    status: row.status,
    // Large outputs are stored apart and referenced (DESIGN §11): readers get the values.
    output: row.status === 'completed' ? await resolvePayloads(db, organizationId, row.output, { keepMissing: true }) : null,
    error: row.error,
    ...(row.retry_of ? { retryOf: row.retry_of } : {}),
    ...(row.schedule_id ? { scheduleId: row.schedule_id } : {}),
    ...(row.parent_execution_id ? { parentExecutionId: row.parent_execution_id } : {}),
    ...(children.length > 0 ? { children } : {}),
    ...(row.queued_at ? { queuedAt: row.queued_at } : {}),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    steps,
  };
}

/** The child executions of `executionId` (its subgraph nodes' children); the node id is the last part of a child's id. */
async function readChildren(db: Queryable, organizationId: string, executionId: string): Promise<ChildView[]> {
  const found = await db.query<{ id: string; graph_id: string; graph_version: number; status: ExecutionStatus }>({
    name: 'executions/read-execution-children',
    text: `SELECT id, graph_id, graph_version, status FROM executions
      WHERE parent_execution_id = $1 AND organization_id = $2 ORDER BY created_at, id`,
    values: [executionId, organizationId],
  });
  return found.rows.map((row) => ({ nodeId: row.id.slice(executionId.length + 1), executionId: row.id, graphId: row.graph_id, graphVersion: row.graph_version, status: row.status }));
}
