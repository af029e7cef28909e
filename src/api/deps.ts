import type { PayloadCodec } from '@temporalio/common';
import type { Pool } from 'pg';
import type { EngineClient } from '../client';
import type { EgressAllowList } from '../common/egress-allow';
import type { SecretCipher } from '../secrets/cipher';

/** What the API needs; built by its entry point and passed in. */
export interface ApiDeps {
  client: EngineClient;
  pool: Pool;
  /** Seals stored secrets (WF_SECRETS_KEY); without it, storing a secret answers 503 naming WF_SECRETS_KEY. */
  secretCipher?: SecretCipher;
  /** Serves /codec/encode and /codec/decode (WF_PAYLOAD_KEY); without it they answer 503 naming WF_PAYLOAD_KEY. */
  payloadCodec?: PayloadCodec;
  /** WF_CODEC_CORS_ORIGIN: the browser origins (the Web UI's) whose pages may call /codec. */
  codecCorsOrigins?: string[];
  /** WF_TEMPORAL_UI_URL: the Temporal Web UI the console links executions to; http://localhost:8233 when omitted. */
  temporalUiUrl?: string;
  /** WF_HTTP_ALLOW: a provider embedder called to embed a search query obeys the same egress rules as the worker. */
  httpAllow?: EgressAllowList;
}
