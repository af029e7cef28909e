import type { Pool } from 'pg';
import type { EgressAllowList } from '../common/egress-allow';
import type { Logger } from '../common/logger';
import type { SecretLookup } from './secret-scope';

/** What activities need from the outside world; built once in src/worker.ts. */
export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  /** Stored secrets (src/secrets); without it every secret reference fails with SecretNotFound. */
  secrets?: SecretLookup;
  /** The http node's egress exceptions (WF_HTTP_ALLOW); without it only public addresses are reached. */
  http?: { allow: EgressAllowList };
}
