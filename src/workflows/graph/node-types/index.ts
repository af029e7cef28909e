/**
 * The node types the engine knows (DESIGN §5). A new type is one file here (its schema and
 * where it runs) plus, for activity types, its activity under src/activities/nodes/.
 */
import type { NodeTypeSpec } from './common';
import { delay } from './delay';
import { mock } from './mock';
import { noop } from './noop';
import { transform } from './transform';
import { wait } from './wait';

export type { NodeRuntime, NodeTypeSpec } from './common';

export const NODE_TYPES: Readonly<Record<string, NodeTypeSpec>> = { noop, transform, mock, delay, wait };

export function nodeTypeSpec(type: string): NodeTypeSpec | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_TYPES, type) ? NODE_TYPES[type] : undefined;
}
