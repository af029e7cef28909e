/**
 * How a corpus embeds (DESIGN §12), as the API and the CLI accept it. Apart from names.ts,
 * which the knowledge nodes' schemas import inside the workflow sandbox: nothing there needs
 * this one (its URL check is costly to build).
 */
import { z } from 'zod';
import { secretNameSchema } from '../workflows/graph/secret-ref';

export const embedderSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hash'), dimensions: z.number().int().min(16).max(4096).default(256) }),
  z.strictObject({
    kind: z.literal('openai'),
    url: z.url({ protocol: /^https?$/, error: 'an http or https URL (the API base; /embeddings is added)' }),
    model: z.string().min(1).max(200),
    dimensions: z.number().int().min(1).max(4096),
    apiKeySecret: secretNameSchema,
  }),
]);
