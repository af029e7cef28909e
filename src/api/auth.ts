/**
 * Bearer API keys: every /api and /admin route needs one, and at least the role it names.
 * Another organization's ids are simply not found (404): routes read with the key's
 * organization only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { asPostgresUnavailable } from '../client/errors';
import { HttpError } from './errors';
import { roleAllows, verifyApiKey, type KeyIdentity, type Role } from './keys';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: KeyIdentity;
  }
}

export function requireRole(pool: Pool, needed: Role) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'Unauthorized', 'an API key is required: Authorization: Bearer <key>');
    let identity: KeyIdentity | undefined;
    try {
      identity = await verifyApiKey(pool, match[1]);
    } catch (error) {
      throw asPostgresUnavailable(error);
    }
    if (!identity) throw new HttpError(401, 'Unauthorized', 'the API key is invalid or revoked');
    if (!roleAllows(identity.role, needed)) throw new HttpError(403, 'Forbidden', `this route needs the ${needed} role; the key has ${identity.role}`);
    request.identity = identity;
  };
}

/** The organization of the authenticated key (set by requireRole). */
export function organizationOf(request: FastifyRequest): string {
  if (!request.identity) throw new HttpError(401, 'Unauthorized', 'an API key is required');
  return request.identity.organizationId;
}
