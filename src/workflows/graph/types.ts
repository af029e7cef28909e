/**
 * Glossary
 * - graph: a versioned document of nodes and edges, owned by one organization.
 * - node: one unit of work in a graph; its `type` says what it does and where it runs
 *   (inline in the workflow, or as one Temporal activity).
 * - edge: a directed link `from -> to`, taken on `success` (default), `error` or `always`,
 *   optionally guarded by a CEL `when` expression.
 * - execution: one run of a graph version with an input; one Temporal workflow.
 * - step: the record of one node inside one execution (its final status, output, error).
 * - attempt: one try of an activity-backed step; Temporal retries make several.
 * - dead letter: an execution that failed for good, kept for inspection and retry.
 * - slot: a place in a per-key FIFO concurrency limit.
 */
import type { z } from 'zod';
import type { GraphSchemas } from './schema';

export type GraphDocument = z.infer<GraphSchemas['graph']>;
export type GraphNode = z.infer<GraphSchemas['node']>;
export type GraphEdge = z.infer<GraphSchemas['edge']>;
export type RetrySpec = z.infer<GraphSchemas['retry']>;
export type TimeoutSpec = z.infer<GraphSchemas['timeout']>;

/** Plain JSON, what flows between nodes and into the mirror. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every execution status, in lifecycle order (the API's status filter is derived from it). */
export const EXECUTION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type StepStatus =
  | 'pending'
  | 'waiting'
  | 'running'
  | 'completed'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'compensated';

/** Execution statuses after which nothing more happens. */
export const TERMINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['completed', 'failed', 'cancelled', 'timed_out'];

/** What a failed node reports, and what an error edge hands to its target. */
export interface NodeError {
  nodeId: string;
  type: string;
  message: string;
  attempts: number;
  /** A `subgraph` node's failure (SubgraphFailed): the child execution and the error it ended with. */
  child?: { executionId: string; error: { type: string; message: string; node?: { nodeId: string; type: string; message: string; attempts: number } } };
}

/** The `execution` variable of expressions. */
export interface ExecutionContext {
  id: string;
  input: Json;
  organizationId: string;
  graphId: string;
  graphVersion: number;
}

/** One problem found by validation; `path` is a JSON path into the document. */
export interface ValidationProblem {
  path: string;
  message: string;
}
