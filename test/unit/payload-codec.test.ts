/**
 * The payload encryption codec and its keys (DESIGN §15): round trips, rotation, pass-through
 * of plain payloads (recorded histories), a clear error naming an unknown key id, and the
 * configuration errors naming their variable.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadApiConfig, loadPayloadKeys } from '../../src/config';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../src/payloads/encryption-codec';
import { parseOrigin } from '../../src/payloads/payload-keys';
import { generateSecretsKey, parseSecretsKey } from '../../src/secrets/cipher';

const text = (bytes: Uint8Array | null | undefined): string => new TextDecoder().decode(bytes ?? new Uint8Array());
const MARKER = 'marker-7f3a91';

function keysOf(env: Record<string, string>) {
  const keys = loadPayloadKeys(env);
  if (!keys) throw new Error('no keys');
  return keys;
}

describe('EncryptionCodec', () => {
  const key = generateSecretsKey();
  const codec = new EncryptionCodec(keysOf({ WF_PAYLOAD_KEY: key }));
  const plain = defaultPayloadConverter.toPayload({ secret: MARKER });

  test('encodes to binary/encrypted with the key id, without the plaintext, and decodes back', async () => {
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe(parseSecretsKey(key, 'k').id);
    expect(Buffer.from(encrypted.data!).toString('latin1')).not.toContain(MARKER);
    expect(Buffer.from(encrypted.data!).toString('base64')).not.toContain(Buffer.from(MARKER).toString('base64'));
    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ secret: MARKER });
    expect(text(decoded.metadata?.encoding)).toBe('json/plain');
  });

  test('two encodings of one payload differ (a fresh IV each time)', async () => {
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  test('passes payloads without encryption metadata through on decode', async () => {
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  test('an unknown key id fails with an error naming it', async () => {
    const other = new EncryptionCodec(keysOf({ WF_PAYLOAD_KEY: `old-2024:${generateSecretsKey()}` }));
    const [encrypted] = await other.encode([plain]);
    await expect(codec.decode([encrypted])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([encrypted])).rejects.toThrow(/key "old-2024", which is in neither WF_PAYLOAD_KEY nor WF_PAYLOAD_KEYS/);
  });

  test('an altered payload or a relabelled key id does not decrypt', async () => {
    const [encrypted] = await codec.encode([plain]);
    const altered: Payload = { ...encrypted, data: Buffer.from(encrypted.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    await expect(codec.decode([altered])).rejects.toThrow(/does not decrypt/);
    const twoKeys = new EncryptionCodec(keysOf({ WF_PAYLOAD_KEYS: `a:${key},b:${key}` }));
    const [fromA] = await twoKeys.encode([plain]);
    const relabelled: Payload = { ...fromA, metadata: { ...fromA.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('b') } };
    await expect(twoKeys.decode([relabelled])).rejects.toThrow(/key "b"/);
  });

  test('rotation: the first key of WF_PAYLOAD_KEYS encrypts, an older one in second place still decrypts', async () => {
    const oldKey = generateSecretsKey();
    const [fromOld] = await new EncryptionCodec(keysOf({ WF_PAYLOAD_KEY: oldKey })).encode([plain]);
    const rotated = new EncryptionCodec(keysOf({ WF_PAYLOAD_KEYS: `new:${generateSecretsKey()},${oldKey}` }));
    expect(rotated.currentKeyId).toBe('new');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([fromOld]))[0])).toEqual({ secret: MARKER });
    const [fromNew] = await rotated.encode([plain]);
    expect(text(fromNew.metadata?.[KEY_ID_METADATA])).toBe('new');
  });
});

describe('loadPayloadKeys', () => {
  test('none set: undefined (payloads stay plain); the local key when given', () => {
    expect(loadPayloadKeys({})).toBeUndefined();
    const local = generateSecretsKey();
    expect(loadPayloadKeys({}, () => local)?.[0].id).toBe(parseSecretsKey(local, 'k').id);
  });

  test('WF_PAYLOAD_KEY wins over the local key; an explicit id is kept', () => {
    const key = generateSecretsKey();
    expect(loadPayloadKeys({ WF_PAYLOAD_KEY: `prod-1:${key}` }, () => generateSecretsKey())?.map((k) => k.id)).toEqual(['prod-1']);
  });

  test.each([
    [{ WF_PAYLOAD_KEY: 'short' }, /WF_PAYLOAD_KEY must be the base64 of 32 random bytes/],
    [{ WF_PAYLOAD_KEYS: `a:${generateSecretsKey()},b:nope` }, /WF_PAYLOAD_KEYS \(entry 2\) must be the base64/],
    [{ WF_PAYLOAD_KEYS: `a:${generateSecretsKey()},a:${generateSecretsKey()}` }, /key id "a" appears twice/],
    [{ WF_PAYLOAD_KEYS: `bad id:${generateSecretsKey()}` }, /WF_PAYLOAD_KEYS \(entry 1\): a key id is/],
    [{ WF_PAYLOAD_KEYS: ' , ' }, /WF_PAYLOAD_KEYS must list at least one key/],
    [{ WF_PAYLOAD_KEY: generateSecretsKey(), WF_PAYLOAD_KEYS: `a:${generateSecretsKey()}` }, /not both/],
  ])('%j is a ConfigError naming the variable', (env, message) => {
    expect(() => loadPayloadKeys(env)).toThrow(ConfigError);
    expect(() => loadPayloadKeys(env)).toThrow(message);
  });

  test('a key is never echoed in the error', () => {
    const almost = generateSecretsKey().slice(0, 20);
    expect(() => loadPayloadKeys({ WF_PAYLOAD_KEY: almost })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(almost) }));
  });
});

test('parseOrigin accepts exactly an origin', () => {
  expect(parseOrigin('http://localhost:8233')).toBe('http://localhost:8233');
  expect(parseOrigin('https://ui.example.com/')).toBe('https://ui.example.com');
  expect(parseOrigin('https://ui.example.com/path')).toBeUndefined();
  expect(parseOrigin('*')).toBeUndefined();
});

describe('WF_CODEC_CORS_ORIGIN', () => {
  test('defaults to the local Web UI under both of its host names', () => {
    expect(loadApiConfig({}).codecCorsOrigins).toEqual(['http://localhost:8233', 'http://127.0.0.1:8233']);
  });

  test('lists origins separated by commas', () => {
    expect(loadApiConfig({ WF_CODEC_CORS_ORIGIN: 'https://ui.example.com, https://ui2.example.com:8443/' }).codecCorsOrigins).toEqual(['https://ui.example.com', 'https://ui2.example.com:8443']);
  });

  test('an entry that is not an origin is a ConfigError naming it', () => {
    expect(() => loadApiConfig({ WF_CODEC_CORS_ORIGIN: 'https://ui.example.com,*' })).toThrow(/WF_CODEC_CORS_ORIGIN must list origins .* got "\*"/);
  });
});
