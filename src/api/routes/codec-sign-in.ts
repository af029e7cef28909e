/**
 * `GET|POST /codec/sign-in` and `POST /codec/sign-out`: an admin signs this browser in to the
 * codec server, so the Temporal Web UI (which cannot send an API key) decodes payloads with
 * the session cookie (src/api/codec-session.ts). The key arrives in a posted form, never in a
 * URL; the cookie is HttpOnly, SameSite=Strict, and sent only under /codec. Refused keys
 * count against the address like any refused key (src/api/rate-limit.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyApiKey } from '../../client/keys';
import { withPostgres } from '../../client/unavailable';
import { roleAllows } from '../../common/keys';
import { CODEC_SESSION_COOKIE, CODEC_SESSION_SECONDS, openCodecSession, PAYLOAD_KEY_MISSING, sealCodecSession } from '../codec-session';
import { renderSignInPage, type SignInPageState } from '../codec-sign-in-page';
import type { ApiDeps } from '../deps';

/** Room for a key and a form's encoding of it; anything longer is not a key. */
const FORM_BODY_LIMIT = 4096;
const COOKIE_PATH = '/codec';
export const CODEC_SIGN_IN_PATH = '/codec/sign-in';
const signInForm = z.object({ key: z.string().optional() });

// Pages that hold a key field: never framed (clickjacking), no scripts, forms post only here.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

export const codecSignInRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  // A browser form posts urlencoded; parsed here only (the rest of the API takes JSON).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const page = (request: FastifyRequest, reply: FastifyReply, status: number, state: Omit<SignInPageState, 'endpoint'>) =>
    reply.status(status).headers(PAGE_HEADERS).send(renderSignInPage({ ...state, endpoint: `${request.protocol}://${request.host}${COOKIE_PATH}` }));

  app.get(CODEC_SIGN_IN_PATH, { schema: { hide: true } }, async (request, reply) => {
    const cookie = request.cookies[CODEC_SESSION_COOKIE];
    const session = cookie && deps.payloadCodec ? await withPostgres(() => openCodecSession(deps.pool, deps.payloadCodec!, cookie, nowSeconds())) : undefined;
    if (session && roleAllows(session.identity.role, 'admin')) {
      const { keyId, organizationId } = session.identity;
      return page(request, reply, 200, { session: { keyId, organizationId, expiresAt: new Date(session.expiresAt * 1000) } });
    }
    return page(request, reply, 200, {});
  });

  app.post(CODEC_SIGN_IN_PATH, { schema: { hide: true, body: signInForm } }, async (request, reply) => {
    if (!deps.payloadCodec) return page(request, reply, 503, { problem: PAYLOAD_KEY_MISSING });
    const presented = (request.body.key ?? '').trim();
    if (!presented) return page(request, reply, 400, { problem: 'enter an admin API key' });
    const identity = await withPostgres(() => verifyApiKey(deps.pool, presented));
    if (!identity) return page(request, reply, 401, { problem: 'the API key is invalid or revoked' });
    if (!roleAllows(identity.role, 'admin')) return page(request, reply, 403, { problem: `decoding payloads needs an admin key; this key has the ${identity.role} role` });
    const expiresAtSeconds = nowSeconds() + CODEC_SESSION_SECONDS;
    const session = await sealCodecSession(deps.payloadCodec, identity.keyId, expiresAtSeconds);
    reply.setCookie(CODEC_SESSION_COOKIE, session, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: CODEC_SESSION_SECONDS });
    return page(request, reply, 200, { session: { keyId: identity.keyId, organizationId: identity.organizationId, expiresAt: new Date(expiresAtSeconds * 1000) } });
  });

  app.post('/codec/sign-out', { schema: { hide: true } }, async (request, reply) => {
    reply.clearCookie(CODEC_SESSION_COOKIE, { path: COOKIE_PATH });
    return page(request, reply, 200, { notice: 'Signed out: this browser no longer decodes payloads.' });
  });
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
