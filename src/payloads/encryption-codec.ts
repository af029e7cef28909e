/**
 * The payload codec that encrypts every payload (DESIGN §15) with AES-256-GCM, on clients
 * and workers alike (`dataConverter: { payloadCodecs: [codec] }`), so Temporal stores only
 * ciphertext. The whole payload (its metadata and data, as protobuf) is encrypted; the result
 * says `encoding: binary/encrypted` and names its key in `encryption-key-id`, so a rotated key
 * still decrypts what it encrypted. Runs outside the workflow sandbox: never import it from
 * src/workflows.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package: Node's ESM loader gives only its default export (src/stack/search-attributes.ts does the same).
import proto from '@temporalio/proto';
import type { PayloadKey } from './payload-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A payload that cannot be decrypted: its key is not configured, or it was altered. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

export class EncryptionCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, PayloadKey>;

  /** `keys[0]` encrypts; every key decrypts. */
  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv);
    // The key id is bound to the ciphertext: relabelling a payload with another id fails to decrypt.
    cipher.setAAD(encoder.encode(this.current.id));
    const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(this.current.id) },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    // Histories recorded before encryption was turned on (test/histories/) pass through.
    if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? decoder.decode(idBytes) : undefined;
    if (!id) throw new PayloadDecryptionError(`an encrypted payload carries no ${KEY_ID_METADATA}`);
    const key = this.byId.get(id);
    if (!key) throw new PayloadDecryptionError(`a payload is encrypted with key "${id}", which is in neither WF_PAYLOAD_KEY nor WF_PAYLOAD_KEYS`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload (key "${id}") is too short`);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes, data.subarray(0, IV_BYTES));
      decipher.setAAD(encoder.encode(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`an encrypted payload (key "${id}") does not decrypt: it was altered, or key "${id}" is not the key it was encrypted with`);
    }
    return proto.temporal.api.common.v1.Payload.decode(plain);
  }
}
