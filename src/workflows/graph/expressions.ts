/**
 * CEL expressions (DESIGN §3), evaluated with @marcbachmann/cel-js, a kept CEL library
 * that runs inside the workflow sandbox. Never eval / Function / vm.
 *
 * Cost bound: CEL always terminates; on top of that we cap the syntax tree (nodes, depth)
 * and forbid nested comprehensions, so evaluation is linear in the size of the data.
 *
 * Numbers: JSON integers go in as CEL `int` (bigint), so `input.n * 2` and `output.n > 10`
 * work; results come back as plain JSON.
 */
import { Environment } from '@marcbachmann/cel-js';
import { NodesLookup } from './nodes-lookup';
import type { GraphEdge, Json } from './types';

export const EXPRESSION_LIMITS = { maxAstNodes: 1000, maxDepth: 32, maxLength: 4096 } as const;
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/**
 * Variables an expression may read. `output` only exists for edge `when` conditions; `item`
 * and `index` in a map's item node config; a trigger's `filter` reads `event` alone.
 */
export type ExpressionScope = 'config' | 'when' | 'item' | 'filter';

function buildEnvironment(scope: ExpressionScope): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    limits: {
      maxAstNodes: EXPRESSION_LIMITS.maxAstNodes,
      maxDepth: EXPRESSION_LIMITS.maxDepth,
      maxListElements: 1000,
      maxMapEntries: 1000,
      maxCallArguments: 32,
    },
  });
  if (scope === 'filter') return env.registerVariable('event', 'dyn');
  env
    .registerVariable('input', 'dyn')
    .registerVariable('execution', 'dyn')
    .registerVariable('nodes', 'dyn');
  if (scope === 'when') env.registerVariable('output', 'dyn');
  if (scope === 'item') env.registerVariable('item', 'dyn').registerVariable('index', 'int');
  return env;
}

// Environments are immutable once built and hold no I/O: safe to share in the workflow isolate.
// Built on first use: workflow modules are evaluated per execution, and a graph without
// expressions should not pay for CEL at all.
const built: Partial<Record<ExpressionScope, Environment>> = {};
function environment(scope: ExpressionScope): Environment {
  return (built[scope] ??= buildEnvironment(scope));
}

/** An error in an expression: at check time a validation problem, at run time `ExpressionError`. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly expression: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** First line of a library error: its message without the source excerpt or stack. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}

function comprehensionDepth(node: unknown): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map(comprehensionDepth));
  if (!node || typeof node !== 'object') return 0;
  const { op, args } = node as { op?: unknown; args?: unknown };
  if (typeof op !== 'string') return 0;
  if (op === 'rcall' && Array.isArray(args) && COMPREHENSIONS.has(String(args[0]))) {
    // `[name, receiver, macro args]`: only the macro's body nests; a chain such as
    // `a.filter(x, ...).map(y, ...)` runs one comprehension after the other.
    return Math.max(comprehensionDepth(args[1]), 1 + comprehensionDepth(args.slice(2)));
  }
  return comprehensionDepth(args);
}

/** Parse and type-check; returns a message per problem (empty when the expression is fine). */
export function checkExpression(expression: string, scope: ExpressionScope): string[] {
  if (expression.length > EXPRESSION_LIMITS.maxLength) {
    return [`expression is longer than ${EXPRESSION_LIMITS.maxLength} characters`];
  }
  const env = environment(scope);
  let parsed: { ast: unknown };
  try {
    parsed = env.parse(expression) as unknown as { ast: unknown };
  } catch (error) {
    return [`expression does not parse: ${firstLine(error)}`];
  }
  if (comprehensionDepth(parsed.ast) > 1) {
    return ['nested comprehensions (map/filter/all/exists inside another) are not allowed: they exceed the cost bound'];
  }
  const checked = env.check(expression);
  if (!checked.valid) return [`expression does not type-check: ${firstLine(checked.error)}`];
  // A condition must be a bool; `dyn` (data-dependent) is checked again at run time.
  if ((scope === 'when' || scope === 'filter') && checked.type !== 'bool' && checked.type !== 'dyn') {
    return [`a ${scope} condition must be a bool, but this expression is ${checked.type}`];
  }
  return [];
}

/** A JSON path step for an object key: `.key`, or `["key"]` when it is not an identifier (as validation writes them). */
export function pathKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** JSON to CEL values: integral numbers become CEL ints. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toCel(item);
    return out;
  }
  return value;
}

/**
 * toCel of a variable, converted once per object: a map evaluates its item config once per
 * item against the same `input` and `nodes`, which may hold thousands of values. The values
 * that flow between nodes are never mutated once made, so a converted copy stays true.
 */
const converted = new WeakMap<object, unknown>();
function toCelOnce(value: unknown): unknown {
  if (!value || typeof value !== 'object') return toCel(value);
  if (!converted.has(value)) converted.set(value, toCel(value));
  return converted.get(value);
}

/** CEL values back to plain JSON. */
export function fromCel(value: unknown, path = '$'): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`integer at ${path} is beyond 2^53 and cannot be represented in JSON`);
    }
    return Number(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`number at ${path} is not finite`);
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) throw new Error(`bytes at ${path} cannot be represented in JSON; use string()`);
  if (Array.isArray(value)) return value.map((item, index) => fromCel(item, `${path}[${index}]`));
  if (value instanceof Map) {
    const out: Record<string, Json> = {};
    for (const [key, item] of value) out[String(key)] = fromCel(item, `${path}${pathKey(String(key))}`);
    return out;
  }
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    if (ctor && ctor !== 'Object') return String(value);
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fromCel(item, `${path}${pathKey(key)}`);
    return out;
  }
  throw new Error(`value at ${path} of type ${typeof value} cannot be represented in JSON`);
}

export interface ExpressionVariables {
  input: Json;
  execution: unknown;
  /** The `nodes` map, or a NodesLookup that hands each expression only the nodes it names. */
  nodes: unknown;
  output?: Json;
  /** A map item and its position (scope `item`). */
  item?: Json;
  index?: number;
}

/** Evaluate one expression; any failure becomes an ExpressionError naming expression and path. */
export function evaluateExpression(
  expression: string,
  variables: ExpressionVariables,
  path: string,
  scope: ExpressionScope = 'config',
): Json {
  const env = environment(scope);
  const context: Record<string, unknown> = {
    input: toCelOnce(variables.input),
    execution: toCelOnce(variables.execution),
    nodes: variables.nodes instanceof NodesLookup ? toCel(variables.nodes.readBy(expression)) : toCelOnce(variables.nodes),
  };
  if (scope === 'when') context.output = toCel(variables.output ?? null);
  if (scope === 'item') {
    context.item = toCel(variables.item ?? null);
    context.index = BigInt(variables.index ?? 0);
  }
  try {
    return fromCel(env.evaluate(expression, context));
  } catch (error) {
    throw new ExpressionError(`expression ${JSON.stringify(expression)} at ${path} failed: ${firstLine(error)}`, expression, path);
  }
}

/** `{ "$expr": "..." }`, the marker of an expression inside config or settings.output. */
export function asExpression(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$expr') return undefined;
  const expr = (value as { $expr: unknown }).$expr;
  return typeof expr === 'string' ? expr : undefined;
}

/** Every `$expr` inside a template, with its JSON path (for validation). */
export function collectExpressions(template: unknown, path: string): { expression: string; path: string }[] {
  const found: { expression: string; path: string }[] = [];
  const walk = (value: unknown, at: string): void => {
    const expr = asExpression(value);
    if (expr !== undefined) {
      found.push({ expression: expr, path: at });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, `${at}${pathKey(key)}`);
    }
  };
  walk(template, path);
  return found;
}

/** A template with every `$expr` replaced by its value. */
export function renderTemplate(template: unknown, variables: ExpressionVariables, path: string, scope: ExpressionScope = 'config'): Json {
  const expr = asExpression(template);
  if (expr !== undefined) return evaluateExpression(expr, variables, path, scope);
  if (Array.isArray(template)) return template.map((item, index) => renderTemplate(item, variables, `${path}[${index}]`, scope));
  if (template && typeof template === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(template)) out[key] = renderTemplate(item, variables, `${path}${pathKey(key)}`, scope);
    return out;
  }
  return (template ?? null) as Json;
}

/** An edge's `when`, evaluated with `output` set to its source's output (or `{error}`); must be a bool. */
export function evaluateWhen(graph: { edges: readonly GraphEdge[] }, edge: GraphEdge, variables: ExpressionVariables & { output: Json }): boolean {
  const index = graph.edges.indexOf(edge);
  const path = `$.edges[${index}].when`;
  const value = evaluateExpression(edge.when!, variables, path, 'when');
  if (typeof value !== 'boolean') throw new ExpressionError(`expression ${JSON.stringify(edge.when)} at ${path} must be a bool, got ${JSON.stringify(value)}`, edge.when!, path);
  return value;
}

/** A trigger's `filter` over `event` ({id, type, payload}); must be a bool. Throws ExpressionError. */
export function evaluateFilter(expression: string, event: Json, path: string): boolean {
  let value: unknown;
  try {
    value = environment('filter').evaluate(expression, { event: toCel(event) });
  } catch (error) {
    throw new ExpressionError(`expression ${JSON.stringify(expression)} at ${path} failed: ${firstLine(error)}`, expression, path);
  }
  if (typeof value !== 'boolean') throw new ExpressionError(`expression ${JSON.stringify(expression)} at ${path} must be a bool, got ${JSON.stringify(fromCel(value))}`, expression, path);
  return value;
}
