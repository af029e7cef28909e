/**
 * Encryption at rest for secrets and webhook signing secrets (DESIGN §10): AES-256-GCM with
 * a key from WF_SECRETS_KEY (base64 of 32 bytes). Every sealed value names the key that
 * sealed it, so a key can be rotated: the new key goes to WF_SECRETS_KEY, the old one to
 * WF_SECRETS_KEY_PREVIOUS, values sealed with either open, and `wf secret reencrypt` seals
 * them all again with the new one (README, "Rotating the secrets key"). The additional data
 * binds a value to its row (organization and name), so a sealed value copied to another row
 * does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** A key from the environment could not be used; the message names the variable. */
export class SecretsKeyError extends Error {
  override readonly name = 'SecretsKeyError';
}

/** A sealed value could not be opened: a key it needs is missing, or it was altered. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** The key id: the first 16 hex digits of the key's SHA-256, so a sealed value says which key it needs without revealing it. */
function keyId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

export function parseSecretsKey(base64: string, variable: string): Key {
  const trimmed = base64.trim();
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES) throw new SecretsKeyError(`${variable} must be the base64 of ${KEY_BYTES} random bytes (make one with: openssl rand -base64 32)`);
  return { id: keyId(bytes), bytes };
}

/** A new random key, base64 (what `npm start` writes to .data/ on first start). */
export function generateSecretsKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export class SecretCipher {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  /** `current` seals; it and every `previous` key open. */
  constructor(current: Key, previous: Key[] = []) {
    this.current = current;
    this.byId = new Map([current, ...previous].map((key) => [key.id, key]));
  }

  /** The id of the key that seals now. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64 parts), bound to `context` (e.g. `org/name`). */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string, context: string): string {
    const [version, id, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !id || !iv || !tag || body === undefined) throw new SealedValueError('not a sealed value');
    const key = this.byId.get(id);
    if (!key) throw new SealedValueError(`sealed with key ${id}, which is neither WF_SECRETS_KEY nor in WF_SECRETS_KEY_PREVIOUS`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError('a sealed value does not open: it was altered, or belongs to another row');
    }
  }

  /** Whether `sealed` was sealed with an older key (`wf secret reencrypt` reseals those). */
  needsReseal(sealed: string): boolean {
    return sealed.split(':')[1] !== this.current.id;
  }
}

/**
 * The cipher from WF_SECRETS_KEY and WF_SECRETS_KEY_PREVIOUS (comma-separated); undefined when
 * WF_SECRETS_KEY is unset (secrets cannot be stored or read then, and say so).
 */
export function cipherFromEnv(env: NodeJS.ProcessEnv = process.env): SecretCipher | undefined {
  const current = env.WF_SECRETS_KEY;
  if (!current) return undefined;
  const previous = (env.WF_SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, i) => parseSecretsKey(part, `WF_SECRETS_KEY_PREVIOUS (entry ${i + 1})`));
  return new SecretCipher(parseSecretsKey(current, 'WF_SECRETS_KEY'), previous);
}
