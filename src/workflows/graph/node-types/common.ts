import { z } from 'zod';
import { isDuration } from '../durations';

/**
 * Where a node type runs: inline in the workflow, as a durable workflow timer, waiting for a
 * signal in the workflow, or as one activity.
 */
export type NodeRuntime = 'inline' | 'timer' | 'signal' | 'activity';

export interface NodeTypeSpec {
  /** Config as written in the document: any field may also be a `{ "$expr": ... }`. */
  readonly configSchema: z.ZodType;
  /** Config after expressions are evaluated, checked again before the node runs. */
  readonly renderedSchema: z.ZodType;
  readonly runtime: NodeRuntime;
}

export const expressionSchema = z.strictObject({ $expr: z.string().min(1) });

/** A config field that may be given literally or computed by an expression. */
export function templated<T extends z.ZodType>(schema: T) {
  return z.union([expressionSchema, schema]);
}

export const durationString = z
  .string()
  .refine(isDuration, { message: 'must be a duration like "500ms", "30s", "10m", "2h"' });
