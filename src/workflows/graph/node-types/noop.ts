import { z } from 'zod';
import type { InlineNodeType } from './common';

/** `noop`: output = input. Runs inline in the workflow. */
const config = z.strictObject({}).optional();

export const noop = {
  runtime: 'inline',
  configSchema: config,
  renderedSchema: config,
  run: (_config, input) => input,
} satisfies InlineNodeType<z.infer<typeof config>>;
