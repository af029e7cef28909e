import { ping } from '../store/ping';
import type { ClientDeps } from './deps';

const TIMEOUT_MS = 3000;

const withTimeout = <T>(work: Promise<T>): Promise<T> => Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS))]);

/** Whether Temporal and PostgreSQL answer, each on its own. */
export async function health(deps: ClientDeps): Promise<{ temporal: 'up' | 'down'; postgres: 'up' | 'down' }> {
  const [temporal, postgres] = await Promise.allSettled([withTimeout(deps.temporal.workflowService.getSystemInfo({})), withTimeout(ping(deps.pool))]);
  return { temporal: temporal.status === 'fulfilled' ? 'up' : 'down', postgres: postgres.status === 'fulfilled' ? 'up' : 'down' };
}
