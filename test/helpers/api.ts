import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app';
import { createApiKey } from '../../src/client/keys';
import type { Role } from '../../src/common/keys';
import type { TestEngine } from './engine';

export interface TestApi {
  app: FastifyInstance;
  /** A fresh key of `role` in `organizationId` (created if missing). */
  key(organizationId: string, role: Role): Promise<string>;
}

export async function startTestApi(engine: TestEngine): Promise<TestApi> {
  const app = await buildApi({ client: engine.client, pool: engine.pool, secretCipher: engine.secretCipher });
  await app.ready();
  return {
    app,
    async key(organizationId, role) {
      await engine.pool.query('INSERT INTO organizations (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [organizationId]);
      return (await createApiKey(engine.pool, organizationId, role)).apiKey;
    },
  };
}

/** The Authorization header of an API key (none without a key). */
export function auth(key: string | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}
