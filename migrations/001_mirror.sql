-- Up Migration
-- The mirror of executions (DESIGN §6). Forward-only: a later change is a new numbered file.

CREATE TABLE organizations (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO organizations (id, name) VALUES ('default', 'default');

-- (organization, id, version) is immutable once stored; `hash` detects a changed document.
CREATE TABLE graphs (
  organization_id  text NOT NULL REFERENCES organizations (id),
  id               text NOT NULL,
  version          integer NOT NULL CHECK (version > 0),
  name             text,
  definition       jsonb NOT NULL,
  hash             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id, version)
);

CREATE TABLE executions (
  id                   text PRIMARY KEY,
  organization_id      text NOT NULL REFERENCES organizations (id),
  graph_id             text NOT NULL,
  graph_version        integer NOT NULL,
  status               text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'timed_out')),
  input                jsonb,
  output               jsonb,
  error                jsonb,
  workflow_id          text NOT NULL,
  run_id               text,
  parent_execution_id  text,
  retry_of             text,
  deadline_at          timestamptz,
  queued_at            timestamptz,
  started_at           timestamptz,
  finished_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX executions_org_graph ON executions (organization_id, graph_id, created_at DESC);
CREATE INDEX executions_org_status ON executions (organization_id, status, created_at DESC);

-- One row per node per execution. `final` marks the workflow's last word: an activity's
-- late write (a retry racing a cancel) never overwrites it.
CREATE TABLE execution_steps (
  execution_id     text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id          text NOT NULL,
  organization_id  text NOT NULL,
  node_type        text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'waiting', 'running', 'completed', 'failed', 'skipped', 'cancelled', 'compensated')),
  attempts         integer NOT NULL DEFAULT 0,
  started_at       timestamptz,
  finished_at      timestamptz,
  output           jsonb,
  error            jsonb,
  reused           boolean NOT NULL DEFAULT false,
  final            boolean NOT NULL DEFAULT false,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_id, node_id)
);

-- One row per activity attempt, keyed by our own ids (execution, node, attempt number).
CREATE TABLE execution_step_attempts (
  execution_id     text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id          text NOT NULL,
  attempt          integer NOT NULL CHECK (attempt > 0),
  organization_id  text NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  started_at       timestamptz,
  finished_at      timestamptz,
  error            jsonb,
  PRIMARY KEY (execution_id, node_id, attempt)
);
