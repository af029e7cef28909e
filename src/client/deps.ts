import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';

/** What the client's operations share: Temporal, the pool and the task queue executions run on. */
export interface ClientDeps {
  temporal: Client;
  pool: Pool;
  taskQueue: string;
  /** Ask Temporal to start executions eagerly (EngineClientOptions.eagerStart). */
  eagerStart: boolean;
}
