/** Turning references back into values, for whoever needs the real thing (an activity's input and config, the mirror's readers). */
import { readPayloads } from '../store/payloads/read-payloads';
import type { Queryable } from '../store/query';
import type { Json } from '../workflows/graph/types';
import { referencedPayloads, replaceReferences } from './reference';

/** A reference whose payload is not there (purged, or another organization's). */
export class PayloadNotFoundError extends Error {
  override readonly name = 'PayloadNotFound';
}

/**
 * `value` with its references resolved within the organization; `value` itself when it holds
 * none. A reference that finds nothing throws PayloadNotFoundError, or with `keepMissing`
 * stays as it is (a reader showing an execution shows what it can).
 */
export async function resolvePayloads(db: Queryable, organizationId: string, value: Json, options: { keepMissing?: boolean } = {}): Promise<Json> {
  const ids = referencedPayloads(value);
  if (ids.length === 0) return value;
  const stored = await readPayloads(db, organizationId, ids);
  return replaceReferences(value, (id, ref) => {
    if (stored.has(id)) return stored.get(id)!;
    if (options.keepMissing) return ref;
    throw new PayloadNotFoundError(`payload ${id} is not stored (purged, or not this organization's)`);
  });
}
