/**
 * The keys of the payload codec (DESIGN §15): WF_PAYLOAD_KEY (one key, `base64` or
 * `id:base64`) or WF_PAYLOAD_KEYS (`id:base64,id:base64`, for rotation: the first encrypts,
 * every one decrypts). A key is the base64 of 32 random bytes, like WF_SECRETS_KEY; its id
 * is given or, when omitted, derived from the key the way the secrets cipher derives its ids
 * (the first 16 hex digits of its SHA-256), so it names the key without revealing it.
 */
import { parseSecretsKey, SecretsKeyError } from '../secrets/cipher';

/** A key that cannot be used; the message names the variable (or file) and the entry, never the key. */
export class PayloadKeyError extends Error {
  override readonly name = 'PayloadKeyError';
}

export interface PayloadKey {
  id: string;
  bytes: Buffer;
}

/** Ids go into every payload's metadata and into error messages: short and printable. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** One entry: `base64` (id derived) or `id:base64`. */
export function parsePayloadKey(entry: string, where: string): PayloadKey {
  const trimmed = entry.trim();
  const colon = trimmed.indexOf(':');
  const explicitId = colon === -1 ? undefined : trimmed.slice(0, colon).trim();
  if (explicitId !== undefined && !KEY_ID.test(explicitId)) throw new PayloadKeyError(`${where}: a key id is 1-64 letters, digits, ".", "_" or "-" before the ":"`);
  try {
    const key = parseSecretsKey(colon === -1 ? trimmed : trimmed.slice(colon + 1), where);
    return { id: explicitId ?? key.id, bytes: key.bytes };
  } catch (error) {
    if (error instanceof SecretsKeyError) throw new PayloadKeyError(`${error.message}, optionally after "id:"`);
    throw error;
  }
}

/** A comma-separated list of entries, the first the one that encrypts; ids must differ. */
export function parsePayloadKeyList(list: string, variable: string): PayloadKey[] {
  const entries = list.split(',').map((part) => part.trim()).filter(Boolean);
  if (entries.length === 0) throw new PayloadKeyError(`${variable} must list at least one key: id:base64,id:base64 (the first encrypts)`);
  const keys = entries.map((entry, i) => parsePayloadKey(entry, `${variable} (entry ${i + 1})`));
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.id)) throw new PayloadKeyError(`${variable}: key id "${key.id}" appears twice`);
    seen.add(key.id);
  }
  return keys;
}

/** `value` as a browser origin (WF_CODEC_CORS_ORIGIN), or undefined when it is not exactly one. */
export function parseOrigin(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin !== 'null' && origin === value.replace(/\/$/, '') ? origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The keys from WF_PAYLOAD_KEYS (`list`) or WF_PAYLOAD_KEY (`single`), else from `localKey`
 * (`npm start` and the CLI next to it: .data/payload.key); undefined when there is none.
 */
export function payloadKeysFrom(values: { single?: string; list?: string }, localKey?: () => string | undefined): PayloadKey[] | undefined {
  if (values.list !== undefined && values.single !== undefined) throw new PayloadKeyError('set WF_PAYLOAD_KEY or WF_PAYLOAD_KEYS, not both (WF_PAYLOAD_KEYS lists every key, the first encrypts)');
  if (values.list !== undefined) return parsePayloadKeyList(values.list, 'WF_PAYLOAD_KEYS');
  if (values.single !== undefined) return [parsePayloadKey(values.single, 'WF_PAYLOAD_KEY')];
  const local = localKey?.();
  return local === undefined ? undefined : [parsePayloadKey(local, 'the local payload key file')];
}
