import { z } from 'zod';
import type { Json } from '../types';
import type { InlineNodeType } from './common';

/** `transform`: output = `config.output` with every `$expr` evaluated. Runs inline in the workflow. */
const config = z.strictObject({ output: z.unknown() });

export const transform = {
  runtime: 'inline',
  configSchema: config,
  renderedSchema: config,
  run: (rendered) => (rendered.output ?? null) as Json,
} satisfies InlineNodeType<z.infer<typeof config>>;
