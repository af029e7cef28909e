import { z } from 'zod';
import { MAX_DOCUMENT_NAME_LENGTH } from '../../../knowledge/document-kind';
import { corpusNameSchema } from '../../../knowledge/names';
import { templated, withSchemas, type ActivityNodeType } from './common';

/**
 * `knowledge.ingest` (DESIGN §12): stores `text` as document `name` of the organization's
 * corpus `corpus` (made when missing, with the default embedder), starts its knowledge-ingest
 * workflow and waits for it. Output `{"documentId", "chunks"}`; the same content again is the
 * same document (nothing re-ingested). `kind` (text, markdown, json) defaults from the name's
 * extension. A document that cannot be ingested fails the node (KnowledgeIngestFailed, not
 * retried). The activity: src/activities/nodes/knowledge-ingest.ts.
 */
function fields() {
  return { name: z.string().min(1).max(MAX_DOCUMENT_NAME_LENGTH), text: z.string().min(1, 'the document text is empty'), kind: z.enum(['text', 'markdown', 'json']) };
}

function renderedIngestConfig({ name, text, kind } = fields()) {
  return z.strictObject({ corpus: corpusNameSchema, name, text, kind: kind.optional() });
}

export type KnowledgeIngestConfig = z.infer<ReturnType<typeof renderedIngestConfig>>;

export const knowledgeIngest = withSchemas(
  'knowledge.ingest',
  {
    runtime: 'activity',
    compensable: false,
    // It heartbeats every few seconds while its ingest workflow runs.
    defaultHeartbeatTimeoutMs: 30_000,
  },
  () => {
    const { name, text, kind } = fields();
    return {
      config: z.strictObject({ corpus: templated(corpusNameSchema), name: templated(name), text: templated(text), kind: templated(kind).optional() }),
      rendered: renderedIngestConfig({ name, text, kind }),
    };
  },
) satisfies ActivityNodeType<KnowledgeIngestConfig>;
