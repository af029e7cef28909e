/**
 * The workflow's own validation of its graph, done once per distinct graph document per worker
 * thread rather than once per execution.
 *
 * Every execution validates the graph it was started with (a hand-started workflow may carry
 * junk), and every continued run again. For the graphs that run thousands of times that is the
 * same work each time, and for a 10,000-node graph it was a sixth of the execution's workflow
 * CPU. Validation is a pure function of the document (the node-type registry and the limits
 * are fixed in the code), so a result remembered from an earlier execution with the very same
 * document, compared as its full JSON text (the workflow's argument was decoded from JSON, so
 * that text says everything about it), is the result this execution would compute: sharing
 * it cannot change what any workflow does. The validated document is deep-frozen before anyone
 * uses it, on the first execution as on later ones, so code that mutated it would fail at once
 * rather than leak into another execution.
 *
 * The cache lives in shared-once.ts's per-thread Map (see there why sharing is safe) and keeps
 * the most recently used documents up to a count and a total size.
 */
import { sharedOnce } from '../shared-once';
import type { GraphDocument } from './types';
import { validateGraph, type ValidationResult } from './validate';

/** At most this many documents, and this many characters of their JSON text, are remembered. */
export const VALIDATED_GRAPHS_LIMITS = { entries: 64, characters: 32 * 1024 * 1024 };

interface Remembered {
  graph: GraphDocument;
  characters: number;
}

/** JSON text → validated document, least recently used first (a Map keeps insertion order). */
const remembered = (): Map<string, Remembered> => sharedOnce('validated-graphs', () => new Map<string, Remembered>());

/** validateGraph(document), remembered for the next execution of the same document. */
export function validateGraphOnce(document: unknown): ValidationResult {
  const key = JSON.stringify(document);
  const cache = remembered();
  const hit = typeof key === 'string' ? cache.get(key) : undefined;
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { ok: true, graph: hit.graph, problems: [] };
  }
  const result = validateGraph(document);
  if (!result.ok || typeof key !== 'string') return result;
  const graph = deepFreeze(result.graph);
  cache.set(key, { graph, characters: key.length });
  evictBeyondLimits(cache);
  return { ok: true, graph, problems: [] };
}

function evictBeyondLimits(cache: Map<string, Remembered>): void {
  let characters = 0;
  for (const entry of cache.values()) characters += entry.characters;
  for (const [key, entry] of cache) {
    if (cache.size <= VALIDATED_GRAPHS_LIMITS.entries && characters <= VALIDATED_GRAPHS_LIMITS.characters) break;
    cache.delete(key);
    characters -= entry.characters;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
