import { isoTimestamp } from '../pool';
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

/** A timestamp inside the row's JSON (to_json's form, microseconds), as the pool gives a column. */
const isoTime = (value: string | null): string | null => (value === null ? null : isoTimestamp(value));

/**
 * Reads one execution, its steps and its children, scoped to the organization; undefined when
 * absent. One statement, so one round trip and one snapshot: the steps and children are what
 * they were when the execution row was read (three reads could show a running execution
 * with every step final, or the other way round).
 */
export async function readExecution(db: Queryable, organizationId: string, executionId: string): Promise<ExecutionView | undefined> {
  const found = await db.query<ExecutionRow & { steps: StepRow[]; children: ChildRow[] }>({
    name: 'executions/read-execution-with-steps',
    text: `SELECT e.id, e.organization_id, e.graph_id, e.graph_version, e.status, e.output, e.error, e.retry_of, e.schedule_id,
            e.parent_execution_id, e.queued_at, e.started_at, e.finished_at,
            (SELECT coalesce(json_agg(json_build_object('node_id', s.node_id, 'status', s.status, 'attempts', s.attempts,
                      'started_at', s.started_at, 'finished_at', s.finished_at, 'error', s.error, 'reused', s.reused,
                      'local', s.local, 'progress', s.progress) ORDER BY s.started_at NULLS LAST, s.node_id), '[]'::json)
               FROM execution_steps s WHERE s.execution_id = e.id AND s.organization_id = e.organization_id) AS steps,
            (SELECT coalesce(json_agg(json_build_object('id', c.id, 'graph_id', c.graph_id, 'graph_version', c.graph_version,
                      'status', c.status) ORDER BY c.created_at, c.id), '[]'::json)
               FROM executions c WHERE c.parent_execution_id = e.id AND c.organization_id = e.organization_id) AS children
       FROM executions e WHERE e.id = $1 AND e.organization_id = $2`,
    values: [executionId, organizationId],
  });
  const row = found.rows[0];
  if (!row) return undefined;
  const children = childViews(executionId, row.children);
  const steps: Record<string, StepView> = {};
  for (const step of row.steps) {
    steps[step.node_id] = {
      status: step.status,
      attempts: step.attempts,
      startedAt: isoTime(step.started_at),
      finishedAt: isoTime(step.finished_at),
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

interface ChildRow {
  id: string;
  graph_id: string;
  graph_version: number;
  status: ExecutionStatus;
}

/** The child executions of `executionId` (its subgraph nodes' children); the node id is the last part of a child's id. */
function childViews(executionId: string, rows: readonly ChildRow[]): ChildView[] {
  return rows.map((row) => ({ nodeId: row.id.slice(executionId.length + 1), executionId: row.id, graphId: row.graph_id, graphVersion: row.graph_version, status: row.status }));
}
