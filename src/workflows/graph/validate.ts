/**
 * Validation of a graph document (DESIGN §3): the one module every entry point uses (CLI,
 * client, API, and the workflow itself as a last guard). It lists every problem with its
 * JSON path; nothing with a problem is ever started.
 */
import type { z } from 'zod';
import { checkExpression, collectExpressions, type ExpressionScope } from './expressions';
import { jsonValueProblem } from './json-limits';
import { jsonPath } from './json-path';
import { localNodeProblems } from './local-node';
import { activityTypes, compensableTypes, nodeTypeSpec } from './node-types';
import { graphSchemas } from './schema';
import { secretPlacementProblems } from './secret-placement';
import { jsonBytes, LIMITS } from './sizes';
import type { GraphDocument, ValidationProblem } from './types';

export type ValidationResult =
  | { ok: true; graph: GraphDocument; problems: [] }
  | { ok: false; problems: ValidationProblem[] };

export { jsonPath } from './json-path';

function zodProblems(error: z.ZodError, base: string): ValidationProblem[] {
  return error.issues.flatMap((issue) => issueProblems(issue, base, []));
}

/**
 * A templated field is a union of `{"$expr"}` and its literal shape, which zod reports as
 * "Invalid input". When exactly one branch got past the value's type (a list too long, not
 * "expected object"), its own issues say what is wrong.
 */
function issueProblems(issue: z.core.$ZodIssue, base: string, prefix: PropertyKey[]): ValidationProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const specific = issue.errors.filter((branch) => !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0));
    if (specific.length === 1) return specific[0].flatMap((inner) => issueProblems(inner, base, path));
  }
  return [{ path: jsonPath(base, path as (string | number)[]), message: issue.message }];
}

interface RawNode {
  index: number;
  id: string;
  raw: Record<string, unknown>;
}
interface RawEdge {
  index: number;
  from: string;
  to: string;
  raw: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

export function validateGraph(document: unknown): ValidationResult {
  const problems: ValidationProblem[] = [];
  if (!isRecord(document)) {
    return { ok: false, problems: [{ path: '$', message: 'a graph document must be a JSON object' }] };
  }
  // First, alone: what follows (zod, expression search, hashing) recurses into the document.
  const shapeProblem = jsonValueProblem(document, '$');
  if (shapeProblem) return { ok: false, problems: [shapeProblem] };
  const bytes = jsonBytes(document);
  if (bytes > LIMITS.graphBytes) {
    problems.push({ path: '$', message: `graph document is ${bytes} bytes, over the limit of ${LIMITS.graphBytes}` });
  }
  const shape = graphSchemas().graph.safeParse(document);
  if (!shape.success) problems.push(...zodProblems(shape.error, '$'));

  // The checks below read the raw document leniently, so that one bad node does not hide
  // the problems of the others. Config and `when` are checked even where an id or an edge
  // end is malformed (zod reports those), so one bad field does not hide the rest either.
  const nodeRecords = (Array.isArray(document.nodes) ? document.nodes : [])
    .map((raw: unknown, index: number) => ({ raw, index }))
    .filter((item): item is { raw: Record<string, unknown>; index: number } => isRecord(item.raw));
  const rawNodes: RawNode[] = nodeRecords
    .filter((item) => typeof item.raw.id === 'string')
    .map(({ raw, index }) => ({ raw, index, id: raw.id as string }));
  const edgeRecords = (Array.isArray(document.edges) ? document.edges : [])
    .map((raw: unknown, index: number) => ({ raw, index }))
    .filter((item): item is { raw: Record<string, unknown>; index: number } => isRecord(item.raw));
  const rawEdges: RawEdge[] = edgeRecords
    .filter(({ raw }) => typeof raw.from === 'string' && typeof raw.to === 'string')
    .map(({ raw, index }) => ({ raw, index, from: raw.from as string, to: raw.to as string }));

  if (Array.isArray(document.nodes) && document.nodes.length > LIMITS.nodes) {
    problems.push({ path: '$.nodes', message: `graph has ${document.nodes.length} nodes, over the limit of ${LIMITS.nodes}` });
  }

  const firstIndex = new Map<string, number>();
  for (const node of rawNodes) {
    const earlier = firstIndex.get(node.id);
    if (earlier !== undefined) {
      problems.push({ path: `$.nodes[${node.index}].id`, message: `duplicate node id "${node.id}" (first at $.nodes[${earlier}])` });
    } else firstIndex.set(node.id, node.index);
  }

  for (const node of nodeRecords) problems.push(...checkNodeConfig(node));
  problems.push(...directRecursion(document.id, nodeRecords));

  for (const edge of rawEdges) {
    for (const end of ['from', 'to'] as const) {
      if (!firstIndex.has(edge[end])) {
        problems.push({ path: `$.edges[${edge.index}].${end}`, message: `edge ${end} unknown node "${edge[end]}"` });
      }
    }
  }
  for (const edge of edgeRecords) {
    if (typeof edge.raw.when === 'string') {
      problems.push(...expressionProblems(edge.raw.when, `$.edges[${edge.index}].when`, 'when'));
    }
  }

  const knownEdges = rawEdges.filter((edge) => firstIndex.has(edge.from) && firstIndex.has(edge.to));
  const ids = [...firstIndex.keys()];
  const cycle = findCycle(ids, knownEdges);
  if (cycle) {
    const at = knownEdges.find((edge) => edge.from === cycle[cycle.length - 2] && edge.to === cycle[cycle.length - 1]);
    problems.push({ path: at ? `$.edges[${at.index}]` : '$.edges', message: `graph has a cycle: ${cycle.join(' -> ')}` });
  }
  for (const id of unreachable(ids, knownEdges)) {
    problems.push({ path: `$.nodes[${firstIndex.get(id)}]`, message: `node "${id}" is unreachable: no path leads to it from a node without incoming edges` });
  }

  if (isRecord(document.settings)) {
    const settings = document.settings;
    if (settings.output !== undefined) {
      for (const found of collectExpressions(settings.output, '$.settings.output')) {
        problems.push(...expressionProblems(found.expression, found.path, 'config'));
      }
    }
    if (isRecord(settings.concurrency) && typeof settings.concurrency.key === 'string') {
      problems.push(...expressionProblems(settings.concurrency.key, '$.settings.concurrency.key', 'config'));
    }
  }

  if (problems.length > 0 || !shape.success) return { ok: false, problems: dedupe(problems) };
  return { ok: true, graph: shape.data, problems: [] };
}

function checkNodeConfig(node: { index: number; raw: Record<string, unknown> }): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const base = `$.nodes[${node.index}]`;
  const checkTyped = (type: unknown, config: unknown, at: string, role: 'node' | 'compensation' | 'item' = 'node'): void => {
    if (typeof type !== 'string') return;
    const spec = nodeTypeSpec(type);
    if (!spec) {
      problems.push({ path: `${at}.type`, message: `unknown node type "${type}"` });
      return;
    }
    if (role === 'compensation' && !(spec.runtime === 'activity' && spec.compensable)) {
      problems.push({ path: `${at}.type`, message: `node type "${type}" cannot run as a compensation (compensable types: ${compensableTypes().join(', ')})` });
      return;
    }
    if (role === 'item' && spec.runtime !== 'activity' && spec.runtime !== 'child') {
      problems.push({ path: `${at}.type`, message: `a map's item node must be an activity type or a subgraph (${[...activityTypes(), 'subgraph'].join(', ')}), not "${type}"` });
      return;
    }
    const parsed = spec.configSchema.safeParse(config);
    if (!parsed.success) problems.push(...zodProblems(parsed.error, `${at}.config`));
    // A map's item node is checked as a node of its own, its expressions reading `item` and `index`.
    const deferred = spec.runtime === 'map' ? spec.deferredConfig : [];
    const ownConfig = isRecord(config) && deferred.length > 0 ? Object.fromEntries(Object.entries(config).filter(([key]) => !deferred.includes(key))) : config;
    problems.push(...secretPlacementProblems(type, spec, ownConfig, `${at}.config`));
    for (const found of collectExpressions(ownConfig, `${at}.config`)) {
      problems.push(...expressionProblems(found.expression, found.path, role === 'item' ? 'item' : 'config'));
    }
    if (spec.runtime === 'map' && isRecord(config) && isRecord(config.node)) checkTyped(config.node.type, config.node.config, `${at}.config.node`, 'item');
  };
  checkTyped(node.raw.type, node.raw.config, base);
  problems.push(...localNodeProblems(node.raw, typeof node.raw.type === 'string' ? nodeTypeSpec(node.raw.type) : undefined, base));
  if (isRecord(node.raw.compensate)) checkTyped(node.raw.compensate.type, node.raw.compensate.config, `${base}.compensate`, 'compensation');
  return problems;
}

/**
 * A `subgraph` node that names its own graph would start itself without end: refused here.
 * Indirect recursion (a → b → a) needs the store to see; the depth limit ends it at run time.
 */
function directRecursion(graphId: unknown, nodes: { index: number; raw: Record<string, unknown> }[]): ValidationProblem[] {
  const runsGraph = (type: unknown, config: unknown): boolean => typeof type === 'string' && nodeTypeSpec(type)?.runtime === 'child' && isRecord(config) && config.graphId === graphId;
  return nodes.flatMap(({ raw, index }) => {
    const message = `node "${String(raw.id)}" runs its own graph "${String(graphId)}" as a subgraph: recursion is refused`;
    if (runsGraph(raw.type, raw.config)) return [{ path: `$.nodes[${index}].config.graphId`, message }];
    // A map whose items run a subgraph.
    const item = isRecord(raw.config) && isRecord(raw.config.node) ? raw.config.node : undefined;
    if (item && runsGraph(item.type, item.config)) return [{ path: `$.nodes[${index}].config.node.config.graphId`, message }];
    return [];
  });
}

function expressionProblems(expression: string, path: string, scope: ExpressionScope): ValidationProblem[] {
  return checkExpression(expression, scope).map((message) => ({ path, message }));
}

/** One cycle as a list of node ids, first repeated at the end, or undefined for a DAG. */
export function findCycle(ids: readonly string[], edges: readonly { from: string; to: string }[]): string[] | undefined {
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of edges) next.get(edge.from)?.push(edge.to);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  // Iterative DFS so a 10,000-node chain cannot overflow the call stack.
  for (const start of ids) {
    if (state.has(start)) continue;
    const frames: { id: string; child: number }[] = [{ id: start, child: 0 }];
    state.set(start, 'open');
    stack.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const children = next.get(frame.id) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++];
        const seen = state.get(child);
        if (seen === 'open') return [...stack.slice(stack.indexOf(child)), child];
        if (!seen) {
          state.set(child, 'open');
          stack.push(child);
          frames.push({ id: child, child: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        stack.pop();
        frames.pop();
      }
    }
  }
  return undefined;
}

/** Nodes no path reaches from a root (a node without incoming edges). */
function unreachable(ids: readonly string[], edges: readonly { from: string; to: string }[]): string[] {
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  const hasIncoming = new Set<string>();
  for (const edge of edges) {
    next.get(edge.from)?.push(edge.to);
    hasIncoming.add(edge.to);
  }
  const seen = new Set(ids.filter((id) => !hasIncoming.has(id)));
  const queue = [...seen];
  while (queue.length > 0) {
    for (const child of next.get(queue.pop()!) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return ids.filter((id) => !seen.has(id));
}

function dedupe(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Execution input: any JSON value up to 256 KiB, LIMITS.jsonDepth levels deep, without U+0000. */
export function validateInput(input: unknown): ValidationProblem[] {
  const shapeProblem = jsonValueProblem(input, '$.input');
  if (shapeProblem) return [shapeProblem];
  const bytes = jsonBytes(input);
  if (bytes > LIMITS.inputBytes) {
    return [{ path: '$.input', message: `execution input is ${bytes} bytes, over the limit of ${LIMITS.inputBytes}` }];
  }
  return [];
}
