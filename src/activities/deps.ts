import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { EgressAllowList } from '../common/egress-allow';
import type { Logger } from '../common/logger';
import type { SecretCipher } from '../secrets/cipher';
import type { SecretLookup } from './secret-scope';

/** What activities need from the outside world; built once in src/worker.ts. */
export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  /** Stored secrets (src/secrets); without it every secret reference fails with SecretNotFound. */
  secrets?: SecretLookup;
  /** WF_SECRETS_KEY's cipher: opens webhook signing secrets (notification deliveries, the notify node). */
  cipher?: SecretCipher;
  /** The http node's egress exceptions (WF_HTTP_ALLOW); without it only public addresses are reached. */
  http?: { allow: EgressAllowList };
  /** WF_INLINE_OUTPUT_BYTES: node outputs over it are stored in Postgres and travel as references (default 256 KiB). */
  inlineOutputBytes?: number;
  /** The worker's Temporal client and task queue: the knowledge.ingest node starts ingest workflows with it. */
  temporal?: { client: Client; taskQueue: string };
}
