-- Up Migration
-- API keys (DESIGN §9): stored hashed, shown once, revocable, one role each.
CREATE TABLE api_keys (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations (id),
  name             text,
  role             text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  secret_hash      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  revoked_at       timestamptz,
  last_used_at     timestamptz
);
CREATE INDEX api_keys_org ON api_keys (organization_id);

-- Idempotent starts: the same key in the same organization names the same execution.
ALTER TABLE executions ADD COLUMN idempotency_key text;
