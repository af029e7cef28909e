/**
 * A payload reference (DESIGN §11): what travels through Temporal in place of a value too
 * large to carry inline; the value itself is a row of `payloads` in Postgres. Pure, no I/O:
 * the shape, how to recognise one and how to find every one inside a JSON value.
 */
import type { Json } from '../workflows/graph/types';

// A type, not an interface: it is then assignable to Json's index signature.
export type PayloadRef = {
  /** The `payloads` row (a UUID). */
  $payload: string;
  /** UTF-8 bytes of the value's JSON: what it would have cost inline. */
  bytes: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Exactly `{ "$payload": <uuid>, "bytes": <n> }`: anything else is ordinary data. */
export function isPayloadRef(value: unknown): value is PayloadRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2) return false;
  const ref = value as Record<string, unknown>;
  return typeof ref.$payload === 'string' && UUID.test(ref.$payload) && typeof ref.bytes === 'number' && Number.isInteger(ref.bytes) && ref.bytes >= 0;
}

/** The ids of every reference inside `value`, each once, in the order met. */
export function referencedPayloads(value: Json): string[] {
  const ids = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object') continue;
    if (isPayloadRef(item)) {
      ids.add(item.$payload);
      continue;
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push(child);
  }
  return [...ids];
}

/** `value` with every reference replaced by what `lookup` holds for it (a new value; `value` is untouched). */
export function replaceReferences(value: Json, lookup: (id: string, ref: PayloadRef) => Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (isPayloadRef(value)) return lookup(value.$payload, value);
  if (Array.isArray(value)) return value.map((item) => replaceReferences(item, lookup));
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) out[key] = replaceReferences(child, lookup);
  return out;
}
