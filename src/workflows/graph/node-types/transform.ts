import { z } from 'zod';
import type { NodeTypeSpec } from './common';

/** `transform`: output = `config.output` with every `$expr` evaluated. Runs inline in the workflow. */
export const transform: NodeTypeSpec = {
  runtime: 'inline',
  configSchema: z.strictObject({ output: z.unknown() }),
  renderedSchema: z.strictObject({ output: z.unknown() }),
};
