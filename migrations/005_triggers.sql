-- Up Migration
-- Triggers: a domain event of a type starts an execution of a graph (DESIGN §9 POST /api/v1/events).
CREATE TABLE triggers (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  event_type       text NOT NULL,
  graph_id         text NOT NULL,
  graph_version    integer,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triggers_org_type ON triggers (organization_id, event_type);

-- Events received, idempotent by (organization, event id): a repeat starts nothing new.
CREATE TABLE events (
  organization_id  text NOT NULL REFERENCES organizations (id),
  id               text NOT NULL,
  type             text NOT NULL,
  payload          jsonb,
  execution_ids    text[] NOT NULL DEFAULT '{}',
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);
