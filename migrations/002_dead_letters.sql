-- Up Migration
-- Dead letters (DESIGN §4 "Failure", §7 `wf dlq`), compensation attempts, retries linked to
-- their original.

-- One row per execution that failed for good. Written in the same transaction as the
-- execution's final failure; the dead-letter workflow of the same id holds it in Temporal.
CREATE TABLE dead_letters (
  id                  text PRIMARY KEY,
  organization_id     text NOT NULL REFERENCES organizations (id),
  execution_id        text NOT NULL UNIQUE REFERENCES executions (id),
  graph_id            text NOT NULL,
  graph_version       integer NOT NULL,
  failed_nodes        text[] NOT NULL DEFAULT '{}',
  error               jsonb NOT NULL,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'retrying', 'retried', 'purged')),
  retry_execution_id  text,
  resolved_at         timestamptz,
  resolved_by         text,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_org_open ON dead_letters (organization_id, status, created_at DESC);

-- Who did what to a dead letter, and when; kept after a purge.
CREATE TABLE dead_letter_audit (
  id               bigserial PRIMARY KEY,
  dead_letter_id   text NOT NULL,
  organization_id  text NOT NULL,
  action           text NOT NULL CHECK (action IN ('retried', 'resumed', 'purged')),
  actor            text NOT NULL,
  details          jsonb,
  at               timestamptz NOT NULL DEFAULT now()
);

-- Compensation attempts are attempts too, kept apart from the node's own.
ALTER TABLE execution_step_attempts ADD COLUMN kind text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'compensate'));
ALTER TABLE execution_step_attempts DROP CONSTRAINT execution_step_attempts_pkey;
ALTER TABLE execution_step_attempts ADD PRIMARY KEY (execution_id, node_id, kind, attempt);

CREATE INDEX executions_retry_of ON executions (retry_of) WHERE retry_of IS NOT NULL;
