/**
 * Bearer API keys: every /api and /admin route needs one, and at least the role it names.
 * Another organization's ids are simply not found (404): routes read with the key's
 * organization only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { verifyApiKey, type KeyIdentity } from '../client/keys';
import { withPostgres } from '../client/unavailable';
import { roleAllows, type Role } from '../common/keys';
import { HttpError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: KeyIdentity;
  }
}

export function requireRole(pool: Pool, needed: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await requireKey(pool)(request, reply);
    checkRole(request, needed);
  };
}

/**
 * Any valid key, whatever its role: for a route that must answer 404 for another
 * organization's ids before it judges the role (checkRole, once the id is found).
 */
export function requireKey(pool: Pool) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'Unauthorized', 'an API key is required: Authorization: Bearer <key>');
    const identity = await withPostgres(() => verifyApiKey(pool, match[1]));
    if (!identity) throw new HttpError(401, 'Unauthorized', 'the API key is invalid or revoked');
    request.identity = identity;
  };
}

/** 403 unless the authenticated key's role allows `needed`. */
export function checkRole(request: FastifyRequest, needed: Role): void {
  const role = request.identity?.role;
  if (!role) throw new HttpError(401, 'Unauthorized', 'an API key is required');
  if (!roleAllows(role, needed)) throw new HttpError(403, 'Forbidden', `this route needs the ${needed} role; the key has ${role}`);
}

/** The organization of the authenticated key (set by requireRole). */
export function organizationOf(request: FastifyRequest): string {
  if (!request.identity) throw new HttpError(401, 'Unauthorized', 'an API key is required');
  return request.identity.organizationId;
}
