-- Up Migration
-- Secrets of an organization (DESIGN §10), encrypted at rest: `sealed_value` is
-- SecretCipher.seal(value, '<organization_id>/<name>') (src/secrets/cipher.ts), so a value
-- copied to another row does not open. The plaintext is never stored.
CREATE TABLE secrets (
  organization_id  text NOT NULL REFERENCES organizations (id),
  name             text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  sealed_value     text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, name)
);
