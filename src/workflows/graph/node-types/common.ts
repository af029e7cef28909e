/**
 * What a node type is (DESIGN §5): its config schema, where it runs, and its workflow-side
 * behaviour. Activity types get their implementation in src/activities/nodes/, checked at
 * compile time against the registry in index.ts.
 */
import { z } from 'zod';
import type { Json } from '../types';
import { DURATION_RULE, isDuration } from '../durations';
import { sharedOnce } from '../../shared-once';

/**
 * Where a node type runs: inline in the workflow, as a durable workflow timer, waiting for a
 * signal in the workflow, as one activity, as a child workflow (another graph's execution),
 * or as one activity per item of a list (`map`).
 */
export type NodeRuntime = 'inline' | 'timer' | 'signal' | 'activity' | 'child' | 'map';

interface NodeTypeBase<Config> {
  /** Config as written in the document: any field may also be a `{ "$expr": ... }`. */
  readonly configSchema: z.ZodType;
  /** Config after expressions are evaluated, checked again before the node runs. */
  readonly renderedSchema: z.ZodType<Config>;
  /** Its config may hold `{ "$secret": "name" }` references (resolved by its activity at call time). */
  readonly acceptsSecrets?: boolean;
}

/** Runs inside the workflow task: deterministic, no I/O. */
export interface InlineNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'inline';
  run(config: Config, input: Json): Json;
}

/** A durable Temporal timer; output = input. */
export interface TimerNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'timer';
  durationMs(config: Config): number;
}

/** Waits in the workflow for a named signal; output = its payload. */
export interface SignalNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'signal';
  awaits(config: Config): { signal: string; timeout?: string };
}

/** One Temporal activity per node (retries, timeouts, heartbeats are Temporal's). */
export interface ActivityNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'activity';
  /** May run as a node's `compensate` (an undo step after the execution failed). */
  readonly compensable: boolean;
  /**
   * Heartbeat timeout when the node sets none, for a type whose activity heartbeats often
   * enough by itself. An attempt on a worker that died is retried only once this passes
   * (without it, once startToClose does: 5 minutes by default).
   */
  readonly defaultHeartbeatTimeoutMs?: number;
  /**
   * Its config may hold `{ "$secret": "name" }` references, which its activity resolves at
   * call time (SecretScope). Validation refuses a reference in the config of any other type:
   * nothing else would resolve it, nor keep its value out of outputs and errors.
   */
  readonly acceptsSecrets?: boolean;
}

/** Runs another stored graph as a child execution; output = the child's output. */
export interface ChildNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'child';
  /** The graph to run (the version, when omitted, was pinned when the parent started) and its input. */
  child(config: Config, input: Json): { graphId: string; version?: number; input: Json };
}

/**
 * Runs an item node (an activity type, written inline in its config) once per item of a list,
 * in the workflow (src/workflows/map-runner.ts). `deferredConfig` names the config fields
 * whose expressions are evaluated per item (with `item` and `index`), not when the node starts.
 */
export interface MapNodeType<Config> extends NodeTypeBase<Config> {
  readonly runtime: 'map';
  readonly deferredConfig: readonly string[];
}

// The registry holds types of different configs: each type checks its own config, so the
// members are erased to `never`-free shapes here.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type NodeTypeSpec = InlineNodeType<any> | TimerNodeType<any> | SignalNodeType<any> | ActivityNodeType<any> | ChildNodeType<any> | MapNodeType<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A type's config schema as written and as rendered (NodeTypeBase). */
export interface TypeSchemas<Config extends z.ZodType, Rendered extends z.ZodType> {
  config: Config;
  rendered: Rendered;
}

/**
 * A node type whose two schemas are built on first use, once per worker thread, and shared
 * by the executions on it (../../shared-once.ts): workflow modules are evaluated once per
 * execution, and building a type's schemas cost each execution that used it milliseconds of
 * workflow task. `type` is the type's name in the registry.
 */
export function withSchemas<const Spec extends object, Config extends z.ZodType, Rendered extends z.ZodType>(
  type: string,
  spec: Spec,
  build: () => TypeSchemas<Config, Rendered>,
): Spec & { readonly configSchema: Config; readonly renderedSchema: Rendered } {
  const schemas = (): TypeSchemas<Config, Rendered> => sharedOnce(`node-type-schemas:${type}`, build);
  return Object.defineProperties(spec, {
    configSchema: { get: () => schemas().config, enumerable: true },
    renderedSchema: { get: () => schemas().rendered, enumerable: true },
  }) as Spec & { readonly configSchema: Config; readonly renderedSchema: Rendered };
}

export const expressionSchema = z.strictObject({ $expr: z.string().min(1) });

/** A config field that may be given literally or computed by an expression. */
export function templated<T extends z.ZodType>(schema: T) {
  return z.union([expressionSchema, schema]);
}

/** A config field as it is after expressions were evaluated. */
export function literal<T extends z.ZodType>(schema: T): T {
  return schema;
}

export const durationString = z
  .string()
  .refine(isDuration, { message: DURATION_RULE });
