/**
 * Values built once per worker thread and then shared by every execution on it: the zod
 * schemas that check graph documents and node configs (building them cost each execution
 * about a tenth of its workflow-task time).
 *
 * The SDK evaluates workflow modules once per execution, except the preloaded ones
 * (src/workflow-bundle-options.ts), evaluated once per V8 context before any workflow and
 * then deep-frozen. Freezing covers this module's exports and the Map object, not the Map's
 * entries, so the Map fills as executions first ask for each value and keeps them. In a bundle
 * that does not preload this module it is one more per-execution module and the Map a
 * per-execution cache: the same results, only slower.
 *
 * Only for values that are pure and never mutated once built (zod schemas: parsing leaves
 * them as they are, defaults are cloned): every execution would build exactly the same
 * value, so sharing it cannot change what any workflow does. This module imports nothing,
 * so that preloading it shares nothing else.
 */
const values = new Map<string, unknown>();

/** The value under `key`, built by `build` the first time any execution on this thread asks. */
export function sharedOnce<T>(key: string, build: () => T): T {
  if (values.has(key)) return values.get(key) as T;
  const value = build();
  values.set(key, value);
  return value;
}
