import { describe, expect, test } from 'vitest';
import { SealedValueError, SecretCipher, SecretsKeyError, cipherFromEnv, generateSecretsKey, parseSecretsKey } from '../../src/secrets/cipher';

const key = (b64 = generateSecretsKey()) => parseSecretsKey(b64, 'WF_SECRETS_KEY');

describe('secret cipher', () => {
  test('a sealed value opens to the plaintext, and the sealed text does not contain it', () => {
    const cipher = new SecretCipher(key());
    const sealed = cipher.seal('s3cr3t-value', 'org/name');
    expect(sealed).not.toContain('s3cr3t-value');
    expect(sealed.startsWith(`v1:${cipher.currentKeyId}:`)).toBe(true);
    expect(cipher.open(sealed, 'org/name')).toBe('s3cr3t-value');
  });

  test('two seals of one value differ (random IV)', () => {
    const cipher = new SecretCipher(key());
    expect(cipher.seal('x', 'c')).not.toBe(cipher.seal('x', 'c'));
  });

  test('a value bound to another row, or altered, does not open', () => {
    const cipher = new SecretCipher(key());
    const sealed = cipher.seal('value', 'org-a/name');
    expect(() => cipher.open(sealed, 'org-b/name')).toThrow(SealedValueError);
    const parts = sealed.split(':');
    parts[4] = Buffer.from('other').toString('base64');
    expect(() => cipher.open(parts.join(':'), 'org-a/name')).toThrow(SealedValueError);
    expect(() => cipher.open('garbage', 'org-a/name')).toThrow(SealedValueError);
  });

  test('rotation: the previous key still opens, the new one seals, and needsReseal tells them apart', () => {
    const oldKey = generateSecretsKey();
    const newKey = generateSecretsKey();
    const before = cipherFromEnv({ WF_SECRETS_KEY: oldKey })!;
    const sealedOld = before.seal('v', 'o/n');
    const after = cipherFromEnv({ WF_SECRETS_KEY: newKey, WF_SECRETS_KEY_PREVIOUS: oldKey })!;
    expect(after.open(sealedOld, 'o/n')).toBe('v');
    expect(after.needsReseal(sealedOld)).toBe(true);
    expect(after.needsReseal(after.seal('v', 'o/n'))).toBe(false);
    const withoutOld = cipherFromEnv({ WF_SECRETS_KEY: newKey })!;
    expect(() => withoutOld.open(sealedOld, 'o/n')).toThrow(/WF_SECRETS_KEY_PREVIOUS/);
  });

  test('a key that is not 32 bytes of base64 is refused, naming the variable; unset means no cipher', () => {
    expect(() => parseSecretsKey('short', 'WF_SECRETS_KEY')).toThrow(SecretsKeyError);
    expect(() => cipherFromEnv({ WF_SECRETS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/WF_SECRETS_KEY must be/);
    expect(() => cipherFromEnv({ WF_SECRETS_KEY: generateSecretsKey(), WF_SECRETS_KEY_PREVIOUS: 'nope' })).toThrow(/WF_SECRETS_KEY_PREVIOUS \(entry 1\)/);
    expect(cipherFromEnv({})).toBeUndefined();
  });
});
