import { z } from 'zod';
import type { Json } from '../types';
import { withSchemas, type InlineNodeType } from './common';

/** `transform`: output = `config.output` with every `$expr` evaluated. Runs inline in the workflow. */
const transformConfig = () => z.strictObject({ output: z.unknown() });
type TransformConfig = z.infer<ReturnType<typeof transformConfig>>;

export const transform = withSchemas('transform', { runtime: 'inline', run: (rendered: TransformConfig) => (rendered.output ?? null) as Json }, () => {
  const config = transformConfig();
  return { config, rendered: config };
}) satisfies InlineNodeType<TransformConfig>;
