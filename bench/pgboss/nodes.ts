/**
 * What each supported node does, with the engine's own pure functions, so outputs match the
 * engine's: config rendered against the node's input (renderNodeConfig), inline nodes run as
 * their type says, a mock returns its rendered output or its input, a map's item config sees
 * `item` and `index` besides the map's own variables.
 */
import { renderTemplate, type ExpressionVariables } from '../../src/workflows/graph/expressions';
import type { MapConfig } from '../../src/workflows/graph/node-types/map';
import type { MockConfig } from '../../src/workflows/graph/node-types/mock';
import { nodeTypeSpec } from '../../src/workflows/graph/node-types';
import { renderNodeConfig } from '../../src/workflows/graph/node-config';
import type { Json } from '../../src/workflows/graph/types';
import type { PlannedNode } from './plan';

/** The `execution` variable of expressions. */
export interface ExecutionVariable {
  id: string;
  input: Json;
  graphId: string;
  graphVersion: number;
  organizationId: string;
}

/** A node's own failure: it ends the execution (no error edges here). */
export interface NodeFailure {
  type: string;
  message: string;
}

export type Rendered<T> = { ok: true; value: T } | { ok: false; error: NodeFailure };

const variables = (input: Json, execution: ExecutionVariable): ExpressionVariables => ({ input, execution, nodes: {} });

export function renderConfig(planned: PlannedNode, input: Json, execution: ExecutionVariable): Rendered<Json> {
  const rendered = renderNodeConfig(planned.node, planned.index, planned.spec, planned.templated, () => variables(input, execution));
  return rendered.ok ? { ok: true, value: rendered.config } : { ok: false, error: { type: rendered.error.type, message: rendered.error.message } };
}

/** transform and noop: evaluated where they become ready, in the transaction that readied them. */
export function runInline(planned: PlannedNode, config: Json, input: Json): Json {
  if (planned.spec.runtime !== 'inline') throw new Error(`node "${planned.node.id}" is not inline`);
  return planned.spec.run(config, input);
}

/** The mock activity's behaviour (src/activities/nodes/mock.ts) without Temporal: fail, or output. */
export function mockOutput(nodeId: string, config: MockConfig, input: Json): Rendered<Json> {
  const mock = config ?? {};
  if (mock.fail) return { ok: false, error: { type: mock.fail.type ?? 'MockFailure', message: mock.fail.message ?? `mock node "${nodeId}" failed as configured` } };
  const output = mock.output === undefined ? input : (mock.output as Json);
  if (mock.outputBytes === undefined) return { ok: true, value: output };
  const filler = 'x'.repeat(mock.outputBytes);
  return { ok: true, value: output !== null && typeof output === 'object' && !Array.isArray(output) ? { ...output, filler } : { value: output, filler } };
}

/** One item's config, as the engine's map runner renders it (scope `item`), checked against the mock's schema. */
export function renderItemConfig(planned: PlannedNode, map: MapConfig, mapInput: Json, item: Json, index: number, execution: ExecutionVariable): Rendered<Json> {
  const spec = nodeTypeSpec(map.node.type)!;
  let config: Json;
  try {
    config = renderTemplate(map.node.config ?? {}, { ...variables(mapInput, execution), item, index }, `$.nodes[${planned.index}].config.node.config`, 'item');
  } catch (error) {
    return { ok: false, error: { type: 'ExpressionError', message: error instanceof Error ? error.message : String(error) } };
  }
  const checked = spec.renderedSchema.safeParse(config);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; ');
    return { ok: false, error: { type: 'InvalidConfig', message: `config of item ${index} of node "${planned.node.id}" is invalid after evaluating expressions: ${problems}` } };
  }
  return { ok: true, value: config };
}
