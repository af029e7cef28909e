/**
 * Where a graph may refer to a secret (DESIGN §10): only inside the config of a node type that
 * declares `acceptsSecrets` (its activity resolves the reference at call time). Anywhere else
 * in a node's config a `{ "$secret": ... }` is refused with its JSON path, and in a type that
 * accepts secrets a malformed one is. Pure code, run by validation (also in the workflow).
 */
import { jsonPath } from './json-path';
import { NODE_TYPES, type NodeTypeSpec } from './node-types';
import { secretRefSchema } from './secret-ref';
import type { ValidationProblem } from './types';

/** Every object with a `$secret` key in `value` (well-formed or not), with its path below `base`. */
export function secretRefsIn(value: unknown, base: string): { path: string; ref: Record<string, unknown> }[] {
  const found: { path: string; ref: Record<string, unknown> }[] = [];
  const walk = (item: unknown, segments: PropertyKey[]): void => {
    if (Array.isArray(item)) item.forEach((child, index) => walk(child, [...segments, index]));
    else if (item && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      if (Object.prototype.hasOwnProperty.call(record, '$secret')) found.push({ path: jsonPath(base, segments), ref: record });
      else for (const [key, child] of Object.entries(record)) walk(child, [...segments, key]);
    }
  };
  walk(value, []);
  return found;
}

export function acceptsSecrets(spec: NodeTypeSpec): boolean {
  return spec.runtime === 'activity' && spec.acceptsSecrets === true;
}

/** The registered types whose config may refer to secrets. */
export function secretAcceptingTypes(): string[] {
  return Object.entries(NODE_TYPES as Record<string, NodeTypeSpec>)
    .filter(([, spec]) => acceptsSecrets(spec))
    .map(([name]) => name);
}

/** The problems of the secret references in `config` of a node of `type` (config at `at`). */
export function secretPlacementProblems(type: string, spec: NodeTypeSpec, config: unknown, at: string, acceptingTypes: readonly string[] = secretAcceptingTypes()): ValidationProblem[] {
  const refs = secretRefsIn(config, at);
  if (!acceptsSecrets(spec)) {
    const where = acceptingTypes.length > 0 ? `only the config of ${acceptingTypes.map((name) => `"${name}"`).join(', ')} nodes may` : 'no node type registered here may';
    return refs.map(({ path }) => ({ path, message: `node type "${type}" does not resolve secrets; ${where} refer to one ({"$secret": "name"})` }));
  }
  return refs
    .filter(({ ref }) => !secretRefSchema.safeParse(ref).success)
    .map(({ path }) => ({ path, message: 'a secret reference is exactly {"$secret": "name"}, the name 1-64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit' }));
}
