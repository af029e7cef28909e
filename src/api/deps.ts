import type { Pool } from 'pg';
import type { EngineClient } from '../client';
import type { SecretCipher } from '../secrets/cipher';

/** What the API needs; built by its entry point and passed in. */
export interface ApiDeps {
  client: EngineClient;
  pool: Pool;
  /** WF_SECRETS_KEY's cipher: seals webhook signing secrets; without it creating a webhook says so. */
  cipher?: SecretCipher;
}
