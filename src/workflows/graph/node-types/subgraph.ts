import { z } from 'zod';
import { ID_PATTERN, MAX_GRAPH_VERSION } from '../schema';
import type { Json } from '../types';
import { withSchemas, type ChildNodeType } from './common';

/**
 * `subgraph`: runs another stored graph of the organization as a child execution (a child
 * workflow) and outputs its output. `graphId` and `version` are literal: the version is
 * pinned when the parent starts (latest then, when omitted), and direct recursion is refused
 * by validation, both of which need them before anything runs. `input` (templated, like any
 * config field) is the child's input; without it the child gets the node's input.
 */
function subgraphConfig() {
  return z.strictObject({
    graphId: z.string().regex(ID_PATTERN, { message: 'graph id must match [a-z0-9][a-z0-9._-]{0,63}' }),
    version: z.number().int().positive().max(MAX_GRAPH_VERSION).optional(),
    input: z.unknown().optional(),
  });
}

export type SubgraphConfig = z.infer<ReturnType<typeof subgraphConfig>>;

export const subgraph = withSchemas(
  'subgraph',
  {
    runtime: 'child',
    child: (config: SubgraphConfig, input: Json) => ({ graphId: config.graphId, version: config.version, input: config.input === undefined ? input : (config.input as Json) }),
  },
  () => ({ config: subgraphConfig(), rendered: subgraphConfig() }),
) satisfies ChildNodeType<SubgraphConfig>;
