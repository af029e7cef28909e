import { z } from 'zod';
import type { Json } from '../types';
import { withSchemas, type InlineNodeType } from './common';

/** `noop`: output = input. Runs inline in the workflow. */
const noopConfig = () => z.strictObject({}).optional();

export const noop = withSchemas('noop', { runtime: 'inline', run: (_config: unknown, input: Json) => input }, () => {
  const config = noopConfig();
  return { config, rendered: config };
}) satisfies InlineNodeType<z.infer<ReturnType<typeof noopConfig>>>;
