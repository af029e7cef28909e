import type { Pool } from 'pg';
import type { Logger } from '../common/logger';
import type { SecretLookup } from './secret-scope';

/** What activities need from the outside world; built once in src/worker.ts. */
export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  /** Stored secrets (src/secrets); without it every secret reference fails with SecretNotFound. */
  secrets?: SecretLookup;
}
