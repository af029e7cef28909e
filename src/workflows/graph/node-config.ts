/**
 * A node's config as it runs: its expressions evaluated against the node's variables, then
 * checked against the type's rendered schema. Both failures are the node's own, never
 * retried: ExpressionError and InvalidConfig.
 */
import { renderTemplate, type ExpressionVariables } from './expressions';
import type { NodeTypeSpec } from './node-types';
import { workflowNodeError } from './run-state';
import type { GraphNode, Json, NodeError } from './types';

export type RenderedNodeConfig = { ok: true; config: Json } | { ok: false; error: NodeError };

/**
 * `templated`: whether the config holds expressions at all. One without was fully checked
 * by validation and is used as it is, at no cost.
 */
export function renderNodeConfig(node: GraphNode, index: number, spec: NodeTypeSpec, templated: boolean, variables: () => ExpressionVariables): RenderedNodeConfig {
  const written = (node.config ?? {}) as Json;
  if (!templated) return { ok: true, config: written };
  let config: Json;
  try {
    config = renderTemplate(withoutDeferred(written, spec), variables(), `$.nodes[${index}].config`);
    // Fields evaluated later (a map's item node, per item) go on as written.
    if (spec.runtime === 'map') for (const key of spec.deferredConfig) if (key in (written as object)) (config as Record<string, Json>)[key] = (written as Record<string, Json>)[key];
  } catch (error) {
    return { ok: false, error: workflowNodeError(node.id, 'ExpressionError', error instanceof Error ? error.message : String(error)) };
  }
  const checked = spec.renderedSchema.safeParse(config);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; ');
    return { ok: false, error: workflowNodeError(node.id, 'InvalidConfig', `config of node "${node.id}" is invalid after evaluating expressions: ${problems}`) };
  }
  return { ok: true, config };
}

function withoutDeferred(config: Json, spec: NodeTypeSpec): Json {
  if (spec.runtime !== 'map' || config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  return Object.fromEntries(Object.entries(config).filter(([key]) => !spec.deferredConfig.includes(key)));
}
