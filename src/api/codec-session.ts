/**
 * Codec sessions, for the Temporal Web UI. The UI sends the codec server an Authorization
 * header only when it passes its own OIDC token, but with "Include cross-origin credentials"
 * it sends cookies: an admin signs in once at /codec/sign-in and the cookie carries a session.
 *
 * The session is sealed with the payload codec itself (AES-256-GCM, the key ring every API
 * process that serves /codec already shares): no second secret to distribute, and a rotated
 * ring still opens what its old key sealed. The sealed payload says `wf/codec-session` in its
 * encrypted metadata, which no payload converter writes, so no ciphertext taken from a
 * history opens as a session, and an unsealed one is refused. Opening checks the API key again: revoking it ends its sessions.
 */
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { KeyIdentity } from '../client/keys';
import type { Queryable } from '../store/query';
import { ENCRYPTED_ENCODING } from '../payloads/encryption-codec';
import { selectActiveKey } from '../store/keys/select-active-key';
import { payloadsFromJson, payloadsToJson } from './codec-payloads';

export const PAYLOAD_KEY_MISSING = 'payloads are not encrypted here: set WF_PAYLOAD_KEY (or WF_PAYLOAD_KEYS) for the API, the same as for the workers';

export const CODEC_SESSION_COOKIE = 'wf_codec_session';
/** A working day: long enough not to sign in again while debugging, short for a cookie left behind. */
export const CODEC_SESSION_SECONDS = 8 * 60 * 60;

const SESSION_ENCODING = 'wf/codec-session';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const sessionClaims = z.object({ keyId: z.string().min(1), expiresAt: z.number().int() });
const sealedPayload = z.object({ metadata: z.record(z.string(), z.string()), data: z.string() });

export interface CodecSession {
  identity: KeyIdentity;
  /** Unix seconds. */
  expiresAt: number;
}

/** The cookie value for `keyId` until `expiresAt` (Unix seconds). */
export async function sealCodecSession(codec: PayloadCodec, keyId: string, expiresAt: number): Promise<string> {
  const plain = { metadata: { encoding: encoder.encode(SESSION_ENCODING) }, data: encoder.encode(JSON.stringify({ keyId, expiresAt })) };
  const [sealed] = payloadsToJson(await codec.encode([plain])).payloads;
  return Buffer.from(JSON.stringify(sealed)).toString('base64url');
}

/**
 * The identity of a sealed session that is unexpired, opens with the ring, and names a key
 * that is still active; undefined for anything else (a cookie is the browser's to send, so
 * a bad one is simply no session).
 */
export async function openCodecSession(db: Queryable, codec: PayloadCodec, cookie: string, nowSeconds: number): Promise<CodecSession | undefined> {
  const claims = await openClaims(codec, cookie);
  if (!claims || claims.expiresAt <= nowSeconds) return undefined;
  const key = await selectActiveKey(db, claims.keyId);
  return key ? { identity: { organizationId: key.organizationId, keyId: claims.keyId, role: key.role }, expiresAt: claims.expiresAt } : undefined;
}

async function openClaims(codec: PayloadCodec, cookie: string): Promise<z.infer<typeof sessionClaims> | undefined> {
  try {
    const sealed = sealedPayload.parse(JSON.parse(Buffer.from(cookie, 'base64url').toString()));
    // The codec passes unencrypted payloads through (old histories): a session must be sealed.
    if (Buffer.from(sealed.metadata.encoding ?? '', 'base64').toString() !== ENCRYPTED_ENCODING) return undefined;
    const [opened] = await codec.decode(payloadsFromJson({ payloads: [sealed] }));
    if (decoder.decode(opened.metadata?.encoding ?? new Uint8Array()) !== SESSION_ENCODING) return undefined;
    return sessionClaims.parse(JSON.parse(decoder.decode(opened.data ?? new Uint8Array())));
  } catch {
    return undefined;
  }
}
