-- Up Migration
-- Webhooks and the notifications outbox (DESIGN §10): an organization subscribes URLs to
-- events; every event is written to `notifications` in the same transaction as the fact it
-- reports, then delivered by one Temporal workflow per row (id `notify:<notification id>`).

-- A subscription. The signing secret is sealed with WF_SECRETS_KEY (SecretCipher, bound to
-- `<organization>/webhook/<id>`) and shown once, when created. Deleted webhooks keep their
-- row (deleted_at) so their notifications keep a webhook to name.
CREATE TABLE webhooks (
  id                     text PRIMARY KEY,
  organization_id        text NOT NULL REFERENCES organizations (id),
  url                    text NOT NULL,
  events                 text[] NOT NULL CHECK (cardinality(events) > 0),
  signing_secret_sealed  text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  deleted_at             timestamptz
);
CREATE INDEX webhooks_org_live ON webhooks (organization_id) WHERE deleted_at IS NULL;

-- The outbox: one row per (event, webhook). The id is derived from the event, the fact and
-- the webhook, so a repeated write of the same fact (a retried mirror flush) adds nothing;
-- it is also the Wf-Delivery-Id a receiver dedupes on.
CREATE TABLE notifications (
  id                   text PRIMARY KEY,
  organization_id      text NOT NULL REFERENCES organizations (id),
  webhook_id           text NOT NULL REFERENCES webhooks (id),
  event                text NOT NULL,
  payload              jsonb NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  last_error           text,
  workflow_started_at  timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  delivered_at         timestamptz
);
-- The relay's poll: pending rows whose delivery workflow has not been started yet.
CREATE INDEX notifications_unrelayed ON notifications (created_at) WHERE status = 'pending' AND workflow_started_at IS NULL;
-- wf notifications list / GET /api/v1/notifications?status=
CREATE INDEX notifications_org_status ON notifications (organization_id, status, created_at DESC);

-- Every delivery attempt: what the receiver answered and how long it took.
CREATE TABLE notification_attempts (
  notification_id  text NOT NULL REFERENCES notifications (id),
  attempt          integer NOT NULL CHECK (attempt > 0),
  status_code      integer,
  latency_ms       integer NOT NULL,
  error            text,
  at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, attempt)
);

-- Each worker process upserts its row every ~10 s; no fresh row on a task queue for 60 s is
-- the fact `worker.unhealthy` reports.
CREATE TABLE worker_heartbeats (
  identity      text PRIMARY KEY,
  task_queue    text NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX worker_heartbeats_queue ON worker_heartbeats (task_queue, last_seen_at DESC);

-- One row per unhealthy period of a task queue, keyed by the last heartbeat seen before it:
-- every checker may detect the same outage, the key lets only one record it (and notify).
CREATE TABLE worker_outages (
  task_queue    text NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  detected_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_queue, last_seen_at)
);
