import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createPool } from '../store/pool';
import { EngineClient } from './engine-client';
import { connectTemporal } from './unavailable';

export interface ConnectOptions {
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string;
  taskQueue?: string;
  /** The payload encryption codec (WF_PAYLOAD_KEY); plain payloads without it. */
  dataConverter?: DataConverter;
}

/** Connects to Temporal and Postgres; UnavailableError when Temporal cannot be reached (Postgres: on first use). */
export async function connectEngineClient(options: ConnectOptions): Promise<{ client: EngineClient; close(): Promise<void> }> {
  const connection = await connectTemporal(options.temporalAddress);
  const pool = createPool(options.databaseUrl, 4);
  const temporal = new Client({ connection, namespace: options.temporalNamespace, dataConverter: options.dataConverter });
  return {
    client: new EngineClient({ temporal, pool, taskQueue: options.taskQueue }),
    async close() {
      await connection.close();
      await pool.end();
    },
  };
}
