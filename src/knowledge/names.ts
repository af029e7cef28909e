/**
 * What corpus names, scopes and embedder choices may be (DESIGN §12), as zod schemas shared
 * by the API, the CLI and the nodes, so each refuses the same things with the same words.
 */
import { z } from 'zod';

export const CORPUS_NAME_RULE = 'a corpus name is 1-100 of A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit';
export const corpusNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, CORPUS_NAME_RULE);

/** Labels on a corpus that retrievals filter by (`{"team": "billing"}`). */
export const scopeSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a scope key is 1-64 of A-Z, a-z, 0-9, "_", ".", "-"'), z.string().min(1).max(200))
  .refine((scope) => Object.keys(scope).length <= 20, 'a scope has at most 20 keys');

/** Where a retrieval looks: one corpus by name, or every corpus whose scope holds the filter. */
export const corpusSelectorSchema = z.union([corpusNameSchema, z.strictObject({ scope: scopeSchema })]);
export type CorpusSelector = z.infer<typeof corpusSelectorSchema>;

export const MAX_TOP_K = 100;
export const MAX_QUERY_LENGTH = 4000;
