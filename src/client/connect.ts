import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createPool } from '../store/pool';
import type { Telemetry } from '../telemetry';
import { EngineClient } from './engine-client';
import type { TemporalSecurity } from '../common/temporal-connection';
import { connectTemporal } from './unavailable';

export interface ConnectOptions {
  temporalAddress: string;
  temporalNamespace: string;
  /** TLS and API key (config.ts loads them from TEMPORAL_TLS*, TEMPORAL_API_KEY or a profile); plaintext when absent. */
  temporalSecurity?: TemporalSecurity;
  databaseUrl: string;
  taskQueue?: string;
  /** Traces: each start carries the caller's trace context to the workflow. */
  telemetry?: Pick<Telemetry, 'clientInterceptors'>;
  /** The payload encryption codec (WF_PAYLOAD_KEY); plain payloads without it. */
  dataConverter?: DataConverter;
}

/** Connects to Temporal and Postgres; UnavailableError when Temporal cannot be reached (Postgres: on first use). */
export async function connectEngineClient(options: ConnectOptions): Promise<{ client: EngineClient; close(): Promise<void> }> {
  const connection = await connectTemporal(options);
  const pool = createPool(options.databaseUrl, 4);
  const temporal = new Client({ connection, namespace: options.temporalNamespace, dataConverter: options.dataConverter, interceptors: { workflow: options.telemetry?.clientInterceptors } });
  return {
    client: new EngineClient({ temporal, pool, taskQueue: options.taskQueue }),
    async close() {
      await connection.close();
      await pool.end();
    },
  };
}
