import type { Pool } from 'pg';
import type { EngineClient } from '../client';

/** What the API needs; built by its entry point and passed in. */
export interface ApiDeps {
  client: EngineClient;
  pool: Pool;
}
