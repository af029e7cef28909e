import { createHash, randomBytes } from 'node:crypto';

/** The execution id an idempotency key names: the same organization and key, the same id. */
export function idempotentExecutionId(organizationId: string, graphId: string, key: string): string {
  return `${graphId}-k${createHash('sha256').update(`${organizationId}\u0000${key}`).digest('hex').slice(0, 24)}`;
}

export function newExecutionId(graphId: string): string {
  // Time first so ids sort by start; random suffix so concurrent starts never collide.
  return `${graphId}-${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
