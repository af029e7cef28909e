/**
 * The codec sign-in (src/api/routes/codec-sign-in.ts): an admin key posted in a form gives a
 * sealed, HttpOnly, SameSite=Strict session cookie under /codec, which /codec/decode accepts
 * in place of a bearer key; viewers, revoked keys, expired or forged sessions get nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from '../../src/api/app';
import { CODEC_SESSION_COOKIE, openCodecSession, sealCodecSession } from '../../src/api/codec-session';
import { createApiKey } from '../../src/client/keys';
import { parseApiKey } from '../../src/common/keys';
import { loadPayloadKeys } from '../../src/config';
import { codecOf, payloadDataConverter } from '../../src/payloads/data-converter';
import { generateSecretsKey } from '../../src/secrets/cipher';
import { revokeApiKey } from '../../src/store/keys/revoke-key';
import { startTestEngine, type TestEngine } from '../helpers/engine';

const codec = codecOf(payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEY: generateSecretsKey() })))!;
const UI_ORIGIN = 'http://127.0.0.1:8233';
const MARKER = `sign-in-marker-${process.pid}`;

let engine: TestEngine;
let api: FastifyInstance;
let adminKey: { keyId: string; apiKey: string };
let viewerKey: string;

const form = (key: string) => ({ method: 'POST' as const, url: '/codec/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ key }).toString() });

async function signIn(key: string): Promise<string> {
  const answer = await api.inject(form(key));
  expect(answer.statusCode).toBe(200);
  const cookie = answer.cookies.find((each) => each.name === CODEC_SESSION_COOKIE);
  expect(cookie).toBeDefined();
  return cookie!.value;
}

async function encrypted() {
  const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(MARKER)).toString('base64') };
  const answer = await api.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${adminKey.apiKey}` }, payload: { payloads: [plain] } });
  return answer.json().payloads as unknown[];
}

function decodeWithCookie(session: string, url = '/codec/decode') {
  return encrypted().then((payloads) => api.inject({ method: 'POST', url, headers: { cookie: `${CODEC_SESSION_COOKIE}=${session}`, origin: UI_ORIGIN }, payload: { payloads } }));
}

beforeAll(async () => {
  engine = await startTestEngine({ worker: false });
  api = await buildApi({ client: engine.client, pool: engine.pool, payloadCodec: codec, codecCorsOrigins: [UI_ORIGIN, 'http://localhost:8233'] });
  await engine.pool.query("INSERT INTO organizations (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING");
  adminKey = await createApiKey(engine.pool, 'default', 'admin');
  viewerKey = (await createApiKey(engine.pool, 'default', 'viewer')).apiKey;
});

afterAll(async () => {
  await api?.close();
  await engine?.stop();
});

describe('signing in', () => {
  test('the page is a form that posts the key, never framed, no scripts', async () => {
    const page = await api.inject({ method: 'GET', url: '/codec/sign-in' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<form method="post" action="sign-in">');
    expect(page.body).toContain('type="password"');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  test('an admin key gets an HttpOnly, SameSite=Strict cookie under /codec, and the steps for the Web UI', async () => {
    const answer = await api.inject(form(adminKey.apiKey));
    expect(answer.statusCode).toBe(200);
    const cookie = answer.cookies.find((each) => each.name === CODEC_SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ path: '/codec', httpOnly: true, sameSite: 'Strict', maxAge: 8 * 3600 });
    // The cookie holds a sealed session, not the key.
    // The whole secret (a base64url secret may itself hold '_', so it is parsed, not split).
    expect(cookie.value).not.toContain(parseApiKey(adminKey.apiKey)!.secret);
    expect(answer.body).toContain(adminKey.keyId);
    expect(answer.body).toContain('Include cross-origin credentials');
    expect(answer.body).toContain('http://localhost:80/codec');
    expect(answer.body).not.toContain(adminKey.apiKey);
    const again = await api.inject({ method: 'GET', url: '/codec/sign-in', headers: { cookie: `${CODEC_SESSION_COOKIE}=${cookie.value}` } });
    expect(again.body).toContain(`Signed in with key <code>${adminKey.keyId}</code>`);
  });

  test('a viewer key, a wrong key and no key are refused with a page that says why, and no cookie', async () => {
    for (const [key, status, says] of [[viewerKey, 403, 'needs an admin key; this key has the viewer role'], ['wfk_key_000000000000_' + 'x'.repeat(43), 401, 'invalid or revoked'], ['', 400, 'enter an admin API key']] as const) {
      const answer = await api.inject(form(key));
      expect(answer.statusCode).toBe(status);
      expect(answer.body).toContain(says);
      expect(answer.cookies).toEqual([]);
    }
  });

  test('the Host header is escaped where the page shows the endpoint', async () => {
    const page = await api.inject({ method: 'GET', url: '/codec/sign-in', headers: { host: 'evil"><script>x</script>' } });
    expect(page.body).not.toContain('<script>');
  });
});

describe('decoding with the session cookie', () => {
  test('the cookie decodes, with CORS credentials for the UI origin; a doubled slash (endpoint typed with a trailing /) too', async () => {
    const session = await signIn(adminKey.apiKey);
    for (const url of ['/codec/decode', '/codec//decode']) {
      const answer = await decodeWithCookie(session, url);
      expect(answer.statusCode).toBe(200);
      expect(Buffer.from(answer.json().payloads[0].data, 'base64').toString()).toBe(JSON.stringify(MARKER));
      expect(answer.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
    }
  });

  test('a tampered cookie, an unsealed forged session and a session from another key ring are refused', async () => {
    const session = await signIn(adminKey.apiKey);
    // Change the sealed data's first character to one it is not (always 'A' would leave it intact one time in 64).
    const tampered = Buffer.from(Buffer.from(session, 'base64url').toString().replace(/"data":"(.)/, (_, first: string) => `"data":"${first === 'A' ? 'B' : 'A'}`)).toString('base64url');
    const plainPayload = { metadata: { encoding: Buffer.from('wf/codec-session').toString('base64') }, data: Buffer.from(JSON.stringify({ keyId: adminKey.keyId, expiresAt: 4_000_000_000 })).toString('base64') };
    const forged = Buffer.from(JSON.stringify(plainPayload)).toString('base64url');
    const otherRing = codecOf(payloadDataConverter(loadPayloadKeys({ WF_PAYLOAD_KEY: generateSecretsKey() })))!;
    const foreign = await sealCodecSession(otherRing, adminKey.keyId, 4_000_000_000);
    for (const bad of [tampered, forged, foreign, 'not-a-session']) {
      const answer = await decodeWithCookie(bad);
      expect(answer.statusCode).toBe(401);
      expect(answer.body).not.toContain(MARKER);
      expect(answer.json().error.message).toContain('/codec/sign-in');
    }
  });

  test('an expired session opens to nothing; revoking the key ends its sessions', async () => {
    const key = await createApiKey(engine.pool, 'default', 'admin');
    const session = await signIn(key.apiKey);
    const now = Math.floor(Date.now() / 1000);
    expect(await openCodecSession(engine.pool, codec, session, now)).toMatchObject({ identity: { keyId: key.keyId, role: 'admin' } });
    expect(await openCodecSession(engine.pool, codec, session, now + 8 * 3600 + 1)).toBeUndefined();
    expect((await decodeWithCookie(session)).statusCode).toBe(200);
    await revokeApiKey(engine.pool, 'default', key.keyId);
    expect((await decodeWithCookie(session)).statusCode).toBe(401);
  });

  test('signing out clears the cookie', async () => {
    const answer = await api.inject({ method: 'POST', url: '/codec/sign-out' });
    const cleared = answer.cookies.find((each) => each.name === CODEC_SESSION_COOKIE)!;
    expect(cleared.value).toBe('');
    expect(cleared.path).toBe('/codec');
  });

  test('without a cookie or key the refusal names both ways in', async () => {
    const payloads = await encrypted();
    const answer = await api.inject({ method: 'POST', url: '/codec/decode', payload: { payloads } });
    expect(answer.statusCode).toBe(401);
    expect(answer.json().error.message).toContain('sign in at /codec/sign-in');
  });
});
