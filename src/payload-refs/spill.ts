/**
 * Keeping a node's output small enough for Temporal: an output whose JSON is over the inline
 * limit has its largest top-level fields stored apart (one payload each) until what remains
 * fits, so small fields (`status`, `id`) stay readable by `when` and other expressions; an
 * output that is not an object, or whose small fields alone are too many, is stored whole.
 * Pure apart from `store`, which the caller makes (Postgres in the worker, a map in tests).
 */
import { jsonBytes } from '../workflows/graph/sizes';
import type { Json } from '../workflows/graph/types';
import type { PayloadRef } from './reference';

/** DESIGN §11's default WF_INLINE_OUTPUT_BYTES. */
export const DEFAULT_INLINE_OUTPUT_BYTES = 256 * 1024;

/** Stores one value and returns its reference. */
export type StorePayload = (value: Json, bytes: number) => Promise<PayloadRef>;

/** What a reference costs inline, at most: `{"$payload":"<36>","bytes":<up to 16 digits>}`. */
const REFERENCE_BYTES = 70;

export async function spillLargeOutput(output: Json, limit: number, store: StorePayload): Promise<Json> {
  const total = jsonBytes(output);
  if (total <= limit) return output;
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return store(output, total);
  // Decide first, store after: a plan that cannot fit stores the output whole, in one row.
  const largestFirst = Object.entries(output)
    .map(([key, value]) => ({ key, value, bytes: jsonBytes(value) }))
    .filter((field) => field.bytes > REFERENCE_BYTES)
    .sort((a, b) => b.bytes - a.bytes);
  const chosen: typeof largestFirst = [];
  let remaining = total;
  for (const field of largestFirst) {
    if (remaining <= limit) break;
    chosen.push(field);
    remaining -= field.bytes - REFERENCE_BYTES;
  }
  if (remaining > limit) return store(output, total);
  const result: Record<string, Json> = { ...output };
  for (const field of chosen) result[field.key] = await store(field.value, field.bytes);
  return result;
}
