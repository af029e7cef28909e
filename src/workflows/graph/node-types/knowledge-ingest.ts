import { z } from 'zod';
import { MAX_DOCUMENT_NAME_LENGTH } from '../../../knowledge/document-kind';
import { corpusNameSchema } from '../../../knowledge/names';
import { templated, type ActivityNodeType } from './common';

/**
 * `knowledge.ingest` (DESIGN §12): stores `text` as document `name` of the organization's
 * corpus `corpus` (made when missing, with the default embedder), starts its knowledge-ingest
 * workflow and waits for it. Output `{"documentId", "chunks"}`; the same content again is the
 * same document (nothing re-ingested). `kind` (text, markdown, json) defaults from the name's
 * extension. A document that cannot be ingested fails the node (KnowledgeIngestFailed, not
 * retried). The activity: src/activities/nodes/knowledge-ingest.ts.
 */
const name = z.string().min(1).max(MAX_DOCUMENT_NAME_LENGTH);
const text = z.string().min(1, 'the document text is empty');
const kind = z.enum(['text', 'markdown', 'json']);

const rendered = z.strictObject({ corpus: corpusNameSchema, name, text, kind: kind.optional() });

export type KnowledgeIngestConfig = z.infer<typeof rendered>;

export const knowledgeIngest = {
  runtime: 'activity',
  compensable: false,
  // It heartbeats every few seconds while its ingest workflow runs.
  defaultHeartbeatTimeoutMs: 30_000,
  configSchema: z.strictObject({ corpus: templated(corpusNameSchema), name: templated(name), text: templated(text), kind: templated(kind).optional() }),
  renderedSchema: rendered,
} satisfies ActivityNodeType<KnowledgeIngestConfig>;
