/**
 * Temporal's codec-server protocol (DESIGN §15): `POST /codec/encode` and `/codec/decode` run
 * payloads through the engine's encryption codec, so the Temporal CLI (`--codec-endpoint
 * .../codec --codec-auth 'Bearer <admin key>'`) and the Web UI show what Temporal stores only
 * encrypted. A decoded payload is every organization's data in the shared namespace: admin
 * keys only, presented as a bearer header or, from the Web UI, as the session cookie of
 * /codec/sign-in (./codec-sign-in.ts). Browsers may call it from the Web UI's origins only
 * (WF_CODEC_CORS_ORIGIN), with credentials;
 * preflights are answered, and `X-Namespace` (sent by the CLI and the UI) is allowed and
 * ignored: one key ring serves the engine's namespace. Hidden from the OpenAPI document:
 * it is Temporal's protocol, not ours.
 */
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PayloadDecryptionError } from '../../payloads/encryption-codec';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withPostgres } from '../../client/unavailable';
import { checkRole, requireRole } from '../auth';
import { CODEC_SESSION_COOKIE, openCodecSession, PAYLOAD_KEY_MISSING } from '../codec-session';
import { codecBody, payloadsFromJson, payloadsToJson } from '../codec-payloads';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { codecSignInRoutes } from './codec-sign-in';

const OPERATIONS = ['encode', 'decode'] as const;
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export const codecRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  const allowedOrigins = new Set(deps.codecCorsOrigins ?? []);
  const allowedOrigin = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    return origin && allowedOrigins.has(origin) ? origin : undefined;
  };
  await app.register(fastifyCookie);
  await app.register(codecSignInRoutes(deps));
  // Scoped to this plugin: only /codec answers with CORS headers, and only for the UI's origins.
  app.addHook('onRequest', async (request, reply) => {
    const origin = allowedOrigin(request);
    if (!origin) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
  });

  for (const operation of OPERATIONS) {
    const url = `/codec/${operation}`;
    app.options(url, { schema: { hide: true } }, async (request, reply) => {
      if (allowedOrigin(request)) {
        reply.header('access-control-allow-methods', 'POST, OPTIONS');
        reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-Namespace');
        reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.status(204).send();
    });

    app.post(url, { schema: { hide: true, body: codecBody }, preHandler: adminKeyOrSession(deps) }, async (request) => {
      const codec = requireCodec(deps.payloadCodec);
      const payloads = payloadsFromJson(request.body);
      try {
        return payloadsToJson(operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads));
      } catch (error) {
        if (error instanceof PayloadDecryptionError) throw new HttpError(400, 'PayloadDecryptionFailed', error.message);
        throw error;
      }
    });
  }
};

/** A bearer admin key (the CLI) or else the sign-in session cookie (the Web UI). */
function adminKeyOrSession(deps: ApiDeps) {
  const bearer = requireRole(deps.pool, 'admin');
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const cookie = request.cookies[CODEC_SESSION_COOKIE];
    if (request.headers.authorization !== undefined || !cookie) {
      try {
        return await bearer(request, reply);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 401 && request.headers.authorization === undefined) {
          throw new HttpError(401, 'Unauthorized', 'an admin API key is required: Authorization: Bearer <key>, or sign in at /codec/sign-in (the Web UI then sends the session cookie)');
        }
        throw error;
      }
    }
    const session = deps.payloadCodec ? await withPostgres(() => openCodecSession(deps.pool, deps.payloadCodec!, cookie, Math.floor(Date.now() / 1000))) : undefined;
    if (!session) throw new HttpError(401, 'Unauthorized', 'the codec session expired or its key was revoked: sign in again at /codec/sign-in');
    request.identity = session.identity;
    checkRole(request, 'admin');
  };
}

function requireCodec(codec: PayloadCodec | undefined): PayloadCodec {
  if (!codec) throw new HttpError(503, 'PayloadKeyMissing', PAYLOAD_KEY_MISSING);
  return codec;
}
