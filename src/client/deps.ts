import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ClientMemory } from './client-memory';

/** What the client's operations share: Temporal, the pool and the task queue executions run on. */
export interface ClientDeps {
  temporal: Client;
  pool: Pool;
  taskQueue: string;
  /** Ask Temporal to start executions eagerly (EngineClientOptions.eagerStart). */
  eagerStart: boolean;
  /** What this client learned from its own starts and stores (owners, stored graph versions). */
  memory: ClientMemory;
}
