/**
 * Temporal's codec-server protocol (DESIGN §15): `POST /codec/encode` and `/codec/decode` run
 * payloads through the engine's encryption codec, so the Temporal CLI (`--codec-endpoint
 * .../codec --codec-auth 'Bearer <admin key>'`) and the Web UI show what Temporal stores only
 * encrypted. A decoded payload is every organization's data in the shared namespace: admin
 * keys only. Browsers may call it from one origin (WF_CODEC_CORS_ORIGIN, the Web UI's);
 * preflights are answered, and `X-Namespace` (sent by the CLI and the UI) is allowed and
 * ignored: one key ring serves the engine's namespace. Hidden from the OpenAPI document:
 * it is Temporal's protocol, not ours.
 */
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PayloadDecryptionError } from '../../payloads/encryption-codec';
import { requireRole } from '../auth';
import { codecBody, payloadsFromJson, payloadsToJson } from '../codec-payloads';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';

const OPERATIONS = ['encode', 'decode'] as const;
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export const PAYLOAD_KEY_MISSING = 'payloads are not encrypted here: set WF_PAYLOAD_KEY (or WF_PAYLOAD_KEYS) for the API, the same as for the workers';

export const codecRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  // Scoped to this plugin: only /codec answers with CORS headers, and only for the one origin.
  app.addHook('onRequest', async (request, reply) => {
    if (!deps.codecCorsOrigin || request.headers.origin !== deps.codecCorsOrigin) return;
    reply.header('access-control-allow-origin', deps.codecCorsOrigin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
  });

  for (const operation of OPERATIONS) {
    const url = `/codec/${operation}`;
    app.options(url, { schema: { hide: true } }, async (request, reply) => {
      if (request.headers.origin === deps.codecCorsOrigin) {
        reply.header('access-control-allow-methods', 'POST, OPTIONS');
        reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-Namespace');
        reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.status(204).send();
    });

    app.post(url, { schema: { hide: true, body: codecBody }, preHandler: requireRole(deps.pool, 'admin') }, async (request) => {
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

function requireCodec(codec: PayloadCodec | undefined): PayloadCodec {
  if (!codec) throw new HttpError(503, 'PayloadKeyMissing', PAYLOAD_KEY_MISSING);
  return codec;
}
