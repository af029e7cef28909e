/** Request schemas (zod): what routes validate with, and what the OpenAPI document shows. */
import { z } from 'zod';
import { ID_PATTERN } from '../workflows/graph/schema';

const json = z.json();

export const graphRef = z.string().regex(ID_PATTERN, { message: 'graph id must match [a-z0-9][a-z0-9._-]{0,63}' });
export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
export const graphVersionParams = z.strictObject({ id: graphRef, v: z.coerce.number().int().positive() });
export const signalParams = z.strictObject({ id: z.string().min(1).max(200), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/) });

export const startExecutionBody = z.strictObject({
  graphId: graphRef,
  version: z.number().int().positive().optional(),
  input: json.optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  deadline: z.string().regex(/^\d{1,9}(ms|s|m|h|d)$/, { message: 'must be a duration like "30s", "10m"' }).optional(),
});

export const listExecutionsQuery = z.strictObject({
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'timed_out']).optional(),
  graphId: graphRef.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const signalBody = z.strictObject({ payload: json.optional() }).optional();

export const retryBody = z.strictObject({ resume: z.boolean().optional(), input: json.optional() }).optional();

export const dlqQuery = z.strictObject({
  graphId: graphRef.optional(),
  since: z.string().regex(/^\d{1,9}(ms|s|m|h|d)$/).optional(),
  all: z.enum(['true', 'false']).optional(),
});

export const createKeyBody = z.strictObject({ role: z.enum(['admin', 'operator', 'viewer']), name: z.string().min(1).max(200).optional() });
