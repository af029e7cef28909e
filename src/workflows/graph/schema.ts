/**
 * The graph document's shape (DESIGN §3). Node `config` is checked separately, against the
 * schema of the node's type (node-types.ts), so that problems name the node type.
 *
 * Built on first use, once per worker thread, and shared by its executions (../shared-once.ts):
 * workflow modules are evaluated once per execution, and building these at module load cost
 * every execution milliseconds of its first workflow task.
 */
import { z } from 'zod';
import { DURATION_RULE, isDuration } from './durations';
import { sharedOnce } from '../shared-once';

export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Graph versions are stored as a Postgres integer and a GraphVersion search attribute (Int): at most 2^31-1. */
export const MAX_GRAPH_VERSION = 2_147_483_647;

function buildGraphSchemas() {
  const duration = z.string().refine(isDuration, { message: DURATION_RULE });

  const retrySchema = z.strictObject({
    maxAttempts: z.number().int().min(1).max(100).optional(),
    initialInterval: duration.optional(),
    backoffCoefficient: z.number().min(1).max(100).optional(),
    maxInterval: duration.optional(),
    nonRetryable: z.array(z.string().min(1).max(200)).max(50).optional(),
  });

  const timeoutSchema = z.strictObject({
    startToClose: duration.optional(),
    heartbeat: duration.optional(),
  });

  const compensateSchema = z.strictObject({
    type: z.string(),
    config: z.unknown().optional(),
  });

  const nodeSchema = z.strictObject({
    id: z.string().regex(NODE_ID_PATTERN, {
      message: 'node id must start with a letter or _ and hold only letters, digits and _ (at most 64)',
    }),
    type: z.string().min(1),
    name: z.string().max(200).optional(),
    config: z.unknown().optional(),
    retry: retrySchema.optional(),
    timeout: timeoutSchema.optional(),
    compensate: compensateSchema.optional(),
    join: z.enum(['all', 'any']).optional(),
    /** Run as a Temporal local activity (activity types only, startToClose ≤ 10s: graph/local-node.ts). */
    local: z.boolean().optional(),
  });

  const edgeSchema = z.strictObject({
    from: z.string(),
    to: z.string(),
    on: z.enum(['success', 'error', 'always']).optional(),
    when: z.string().min(1).max(4096).optional(),
  });

  const settingsSchema = z.strictObject({
    maxParallelism: z.number().int().min(1).max(1000).optional(),
    deadline: duration.optional(),
    onFailure: z.enum(['dlq', 'fail']).optional(),
    concurrency: z
      .strictObject({ key: z.string().min(1).max(4096), max: z.number().int().min(1).max(10_000) })
      .optional(),
    output: z.unknown().optional(),
  });

  const graphSchema = z.strictObject({
    $schema: z.string().optional(),
    id: z.string().regex(ID_PATTERN, { message: 'graph id must match [a-z0-9][a-z0-9._-]{0,63}' }),
    version: z.number().int().positive().max(MAX_GRAPH_VERSION),
    name: z.string().max(200).optional(),
    description: z.string().max(10_000).optional(),
    settings: settingsSchema.optional(),
    nodes: z.array(nodeSchema).min(1, { message: 'a graph needs at least one node' }),
    edges: z.array(edgeSchema).default([]),
  });
  return { retry: retrySchema, timeout: timeoutSchema, node: nodeSchema, edge: edgeSchema, graph: graphSchema };
}

export type GraphSchemas = ReturnType<typeof buildGraphSchemas>;

/** The document's schemas: `graph` the whole document, the others its parts (a map node's item reuses `retry` and `timeout`). */
export const graphSchemas = (): GraphSchemas => sharedOnce('graph-schemas', buildGraphSchemas);
