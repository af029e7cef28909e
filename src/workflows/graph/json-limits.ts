/**
 * What a JSON value from a client may look like beyond its size (DESIGN §3): at most
 * LIMITS.jsonDepth levels of nesting, and no U+0000 in any string or key. Checked
 * iteratively, before anything recursive (zod, CEL conversion, canonical JSON, sanitizing)
 * touches the value: an input nested 3,000 levels deep once overflowed the call stack, and
 * PostgreSQL (jsonb and text) cannot store U+0000. Pure, safe in the workflow sandbox.
 */
import { jsonPath } from './json-path';
import { LIMITS } from './sizes';
import type { ValidationProblem } from './types';

/** Paths longer than this are cut: a refusal must stay readable whatever the keys. */
const MAX_PATH_CHARS = 1000;

interface Pending {
  value: unknown;
  /** Containers around `value`. */
  depth: number;
  parent?: Pending;
  key?: string | number;
}

function pathOf(base: string, item: Pending): string {
  const segments: (string | number)[] = [];
  for (let at: Pending | undefined = item; at?.key !== undefined; at = at.parent) segments.push(at.key);
  const path = jsonPath(base, segments.reverse());
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
}

export const nulProblem = (path: string): ValidationProblem => ({ path, message: 'must not contain U+0000 (NUL): it cannot be stored' });
export const depthProblem = (path: string, maxDepth: number): ValidationProblem => ({ path, message: `nests deeper than ${maxDepth} levels of arrays and objects` });

/** The first problem of `value` (too deep, or U+0000 in a string or key), with its path under `base`; undefined when it is fine. */
export function jsonValueProblem(value: unknown, base: string, maxDepth: number = LIMITS.jsonDepth): ValidationProblem | undefined {
  const pending: Pending[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return nulProblem(pathOf(base, item));
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return depthProblem(pathOf(base, item), maxDepth);
    if (Array.isArray(item.value)) {
      for (let index = item.value.length - 1; index >= 0; index--) pending.push({ value: item.value[index], depth, parent: item, key: index });
      continue;
    }
    const entries = Object.entries(item.value);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index];
      const entry: Pending = { value: child, depth, parent: item, key };
      if (key.includes('\u0000')) return nulProblem(pathOf(base, entry));
      pending.push(entry);
    }
  }
  return undefined;
}
