-- Up Migration
-- Large node outputs (DESIGN §11): an output over WF_INLINE_OUTPUT_BYTES is kept here and
-- travels through Temporal as a reference {"$payload": id, "bytes": n}. Rows belong to the
-- execution that made them and go with it; a resumed execution reads the original's rows
-- (same organization), so a row is looked up by organization and id, never by execution.
CREATE TABLE payloads (
  id               uuid PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  execution_id     text NOT NULL,
  node_id          text NOT NULL,
  bytes            integer NOT NULL CHECK (bytes >= 0),
  data             jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payloads_execution ON payloads (execution_id);
