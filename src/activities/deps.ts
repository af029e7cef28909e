import type { Pool } from 'pg';
import type { Logger } from '../common/logger';

/** What activities need from the outside world; built once in src/worker.ts. */
export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
}
