import { z } from 'zod';
import { graphSchemas } from '../schema';
import { literal, templated, withSchemas, type MapNodeType } from './common';

/** DESIGN §11: a map runs over at most this many items. */
export const MAX_MAP_ITEMS = 10_000;
/** Items in flight at once: at most this many activities start in one workflow task. */
export const MAX_MAP_CONCURRENCY = 200;
export const DEFAULT_MAP_CONCURRENCY = 10;

/**
 * `map`: runs `config.node` (an activity node written inline: type, config, retry, timeout)
 * once per element of `config.items`, at most `maxConcurrency` at a time. The item node's
 * config expressions read `item` and `index` besides the usual variables; its input is the
 * item. Output = the results in item order; with `onItemFailure: "continue"` a failed item
 * yields `{ "error": … }` in its place, with `"fail"` (default) the first failure fails the
 * map. Each item is a step `<nodeId>[<index>]` in the mirror; the map step shows
 * `{ total, completed, failed }`. The runner is src/workflows/map-runner.ts.
 */
/** An item's step id: node ids cannot hold brackets, so it never clashes with a node's. */
export function itemStepId(nodeId: string, index: number): string {
  return `${nodeId}[${index}]`;
}

/** Whether a step id is a map item's (`<nodeId>[<index>]`). */
export function isItemStep(stepId: string): boolean {
  return /\[\d+\]$/.test(stepId);
}

const itemNode = () =>
  z.strictObject({
    type: z.string().min(1),
    config: z.unknown().optional(),
    retry: graphSchemas().retry.optional(),
    timeout: graphSchemas().timeout.optional(),
  });

function mapConfig<Items extends z.ZodType, Concurrency extends z.ZodType>(items: Items, concurrency: Concurrency) {
  return z.strictObject({
    items,
    node: itemNode(),
    maxConcurrency: concurrency.optional(),
    onItemFailure: z.enum(['fail', 'continue']).optional(),
  });
}

const concurrencyField = () => z.number().int().min(1).max(MAX_MAP_CONCURRENCY);
const itemsField = () => z.array(z.unknown()).max(MAX_MAP_ITEMS, { message: `a map runs over at most ${MAX_MAP_ITEMS} items` });
const renderedMapConfig = () => mapConfig(literal(itemsField()), literal(concurrencyField()));

export type MapConfig = z.infer<ReturnType<typeof renderedMapConfig>>;
export type MapItemNode = z.infer<ReturnType<typeof itemNode>>;

export const map = withSchemas('map', { runtime: 'map', deferredConfig: ['node'] }, () => ({
  config: mapConfig(templated(itemsField()), templated(concurrencyField())),
  rendered: renderedMapConfig(),
})) satisfies MapNodeType<MapConfig>;
