import type { Pool } from 'pg';
import type { EngineClient } from '../client';
import type { SecretCipher } from '../secrets/cipher';

/** What the API needs; built by its entry point and passed in. */
export interface ApiDeps {
  client: EngineClient;
  pool: Pool;
  /** Seals stored secrets (WF_SECRETS_KEY); without it, storing a secret answers 503 naming WF_SECRETS_KEY. */
  secretCipher?: SecretCipher;
}
