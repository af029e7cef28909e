-- Up Migration
-- Knowledge (DESIGN §12): corpora of documents cut into chunks with embeddings, and the
-- retrievals nodes made. Every row carries its organization: nothing is read across them.

-- A corpus keeps the embedder it was made with (its chunks and queries must agree) and a
-- status summing up its documents: empty, processing, ready, or degraded (a document failed).
CREATE TABLE knowledge_corpora (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  name             text NOT NULL,
  scope            jsonb NOT NULL DEFAULT '{}'::jsonb,
  embedder         jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'empty' CHECK (status IN ('empty', 'processing', 'ready', 'degraded')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, name)
);
CREATE INDEX knowledge_corpora_scope ON knowledge_corpora USING gin (scope jsonb_path_ops);

-- One row per distinct content in a corpus: ingesting the same text again finds this row.
-- A document of the same name and other content replaces this one once it is ready.
CREATE TABLE knowledge_documents (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  corpus_id        text NOT NULL REFERENCES knowledge_corpora (id) ON DELETE CASCADE,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('text', 'markdown', 'json')),
  content          text NOT NULL,
  content_hash     text NOT NULL,
  bytes            integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
  error            text,
  chunk_count      integer,
  workflow_id      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  ready_at         timestamptz,
  UNIQUE (corpus_id, content_hash)
);
CREATE INDEX knowledge_documents_corpus ON knowledge_documents (corpus_id, name);

-- Chunks exist only for ready documents: they are written in the transaction that makes
-- their document ready. The embedding is an array of reals everywhere; where the server has
-- pgvector, the same numbers also sit in `embedding_vector` under an HNSW index.
CREATE TABLE knowledge_chunks (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  corpus_id        text NOT NULL REFERENCES knowledge_corpora (id) ON DELETE CASCADE,
  document_id      text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  ordinal          integer NOT NULL,
  text             text NOT NULL,
  dimensions       integer NOT NULL,
  embedding        real[] NOT NULL,
  UNIQUE (document_id, ordinal)
);
CREATE INDEX knowledge_chunks_corpus ON knowledge_chunks (corpus_id);

-- Every retrieval a node attempt made: what was asked, of which corpora, what came back.
CREATE TABLE execution_retrieval_events (
  id               bigserial PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  execution_id     text NOT NULL,
  node_id          text NOT NULL,
  attempt          integer NOT NULL,
  query            text NOT NULL,
  corpus           jsonb NOT NULL,
  corpus_ids       text[] NOT NULL,
  chunk_ids        text[] NOT NULL,
  scores           double precision[] NOT NULL,
  latency_ms       double precision NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX execution_retrieval_events_execution ON execution_retrieval_events (execution_id, id);

-- pgvector when the server offers it and we may create it; without it, arrays alone.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
      ALTER TABLE knowledge_chunks ADD COLUMN embedding_vector vector;
      -- The default embedder's 256 dimensions get the index; other sizes are scanned exactly.
      CREATE INDEX knowledge_chunks_vector_256 ON knowledge_chunks USING hnsw ((embedding_vector::vector(256)) vector_cosine_ops) WHERE dimensions = 256;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pgvector not used: %', SQLERRM;
    END;
  END IF;
END
$$;
