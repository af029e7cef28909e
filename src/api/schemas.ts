/** Request schemas (zod): what routes validate with, and what the OpenAPI document shows. */
import { z } from 'zod';
import { ROLES } from '../common/keys';
import { durationString } from '../workflows/graph/node-types/common';
import { signalName } from '../workflows/graph/node-types/wait';
import { decodeExecutionCursor } from '../store/executions/execution-cursor';
import { ID_PATTERN, MAX_GRAPH_VERSION } from '../workflows/graph/schema';
import { EXECUTION_STATUSES } from '../workflows/graph/types';
import { jsonValue as json } from './schema-registry';

export const graphRef = z.string().regex(ID_PATTERN, { message: 'graph id must match [a-z0-9][a-z0-9._-]{0,63}' });
/** Stored as a Postgres integer: out of its range the query itself failed (a 500 once). */
export const graphVersion = z.number().int().positive().max(MAX_GRAPH_VERSION);
/** Routes without query parameters refuse any (as every other route refuses unknown ones). */
export const noQuery = z.strictObject({});
export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
export const graphVersionParams = z.strictObject({ id: graphRef, v: z.coerce.number().int().positive().max(MAX_GRAPH_VERSION) });
export const stepParams = z.strictObject({ id: z.string().min(1).max(200), nodeId: z.string().min(1).max(200) });
export const signalParams = z.strictObject({ id: z.string().min(1).max(200), name: signalName });

export const startExecutionBody = z.strictObject({
  graphId: graphRef,
  version: graphVersion.optional(),
  input: json.optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  deadline: durationString.optional(),
});

export const listExecutionsQuery = z.strictObject({
  status: z.enum(EXECUTION_STATUSES).optional(),
  graphId: graphRef.optional(),
  cursor: z
    .string()
    .max(500)
    .refine((cursor) => decodeExecutionCursor(cursor) !== undefined, { message: "must be a previous page's nextCursor" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Snapshot sequences are Postgres integers: beyond their range there is no such snapshot anyway. */
export const executionContextQuery = z.strictObject({
  sequence: z.coerce.number().int().min(1).max(2_147_483_647).optional().describe('the snapshot to show (1 is the first); default the latest'),
});

export const signalBody = z.strictObject({ payload: json.optional() }).optional();

export const retryBody = z.strictObject({ resume: z.boolean().optional(), input: json.optional() }).optional();

export const dlqQuery = z.strictObject({
  graphId: graphRef.optional(),
  since: durationString.optional(),
  all: z.enum(['true', 'false']).optional(),
});

export const createKeyBody = z.strictObject({ role: z.enum(ROLES), name: z.string().min(1).max(200).optional() });
