/** Bodies and answers of /api/v1/knowledge (DESIGN §12), for validation and the OpenAPI document. */
import { z } from 'zod';
import { embedderSpecSchema } from '../knowledge/embedder-spec-schema';
import { corpusNameSchema, corpusSelectorSchema, MAX_QUERY_LENGTH, MAX_TOP_K, scopeSchema } from '../knowledge/names';

const timestamp = z.string().describe('ISO 8601 timestamp');

export const corpusParams = z.strictObject({ corpus: corpusNameSchema });

export const ingestBody = z.strictObject({
  documents: z
    .array(z.strictObject({ name: z.string().min(1).max(200).describe('e.g. README.md: the extension says its kind'), text: z.string(), kind: z.enum(['text', 'markdown', 'json']).optional() }))
    .min(1)
    .max(100),
  scope: scopeSchema.optional().describe('labels of a corpus this call creates (retrievals filter by them)'),
  embedder: embedderSpecSchema.optional().describe('how a corpus this call creates embeds (default: hash, 256 dimensions)'),
});

export const searchBody = z.strictObject({
  corpus: corpusSelectorSchema.describe('a corpus name, or {"scope": {...}}: every corpus whose scope holds those labels'),
  query: z.string().max(MAX_QUERY_LENGTH),
  topK: z.number().int().min(1).max(MAX_TOP_K).optional(),
  minScore: z.number().min(-1).max(1).optional(),
});

export const corpusView = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.record(z.string(), z.string()),
  embedder: z.looseObject({ kind: z.enum(['hash', 'openai']), dimensions: z.number().int() }).describe('how its chunks and queries are embedded'),
  status: z.enum(['empty', 'processing', 'ready', 'degraded']),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const corpusSummary = corpusView.extend({ documents: z.number().int(), chunks: z.number().int() });

export const documentView = z.object({
  id: z.string(),
  corpusId: z.string(),
  name: z.string(),
  kind: z.enum(['text', 'markdown', 'json']),
  contentHash: z.string(),
  bytes: z.number().int(),
  status: z.enum(['processing', 'ready', 'failed']),
  error: z.string().nullable(),
  chunks: z.number().int().nullable(),
  workflowId: z.string().describe('its knowledge-ingest workflow in Temporal'),
  createdAt: timestamp,
  readyAt: timestamp.nullable(),
});

export const ingestAnswer = z.object({
  corpus: corpusView,
  documents: z.array(z.object({ document: documentView, created: z.boolean().describe('false: the corpus already had this content'), started: z.boolean().describe('an ingest workflow was started') })),
});

export const searchAnswer = z.object({
  matches: z.array(z.object({ chunkId: z.string(), documentId: z.string(), corpusId: z.string(), text: z.string(), score: z.number() })),
  corpusIds: z.array(z.string()),
  latencyMs: z.number(),
});

export const retrievalEventView = z.object({
  nodeId: z.string(),
  attempt: z.number().int(),
  query: z.string(),
  corpus: z.unknown(),
  corpusIds: z.array(z.string()),
  chunkIds: z.array(z.string()),
  scores: z.array(z.number()),
  latencyMs: z.number(),
  at: timestamp,
});
