import { connectEngineClient, type EngineClient } from '../client';
import type { EngineConfig } from '../config';
import { cliDataConverter } from './payload-key';

/** Runs a command with a connected client, closing connections afterwards. */
export async function withClient<T>(config: EngineConfig, work: (client: EngineClient) => Promise<T>): Promise<T> {
  const { client, close } = await connectEngineClient({ ...config, dataConverter: cliDataConverter() });
  try {
    return await work(client);
  } finally {
    await close().catch(() => undefined);
  }
}

export { configWithOrg } from './config-with-org';
