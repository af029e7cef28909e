/** The secrets key from the environment (loadSecretsCipher) and the local stack's key file. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { secretNameProblem, secretValueProblem, MAX_SECRET_BYTES } from '../../src/client/secrets';
import { ConfigError, loadSecretsCipher } from '../../src/config';
import { generateSecretsKey, SecretCipher, parseSecretsKey } from '../../src/secrets/cipher';
import { ensureSecretsKeyFile, readSecretsKeyFile } from '../../src/secrets/local-key-file';
import { CliError } from '../../src/cli/cli-error';
import { cliSecretCipher } from '../../src/cli/secrets-key';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-secrets-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadSecretsCipher', () => {
  test('no WF_SECRETS_KEY (unset, empty or blank) and no local key: undefined', () => {
    expect(loadSecretsCipher({})).toBeUndefined();
    expect(loadSecretsCipher({ WF_SECRETS_KEY: '' })).toBeUndefined();
    expect(loadSecretsCipher({ WF_SECRETS_KEY: '   ' }, () => undefined)).toBeUndefined();
  });

  test('WF_SECRETS_KEY seals; a value sealed with a key in WF_SECRETS_KEY_PREVIOUS still opens', () => {
    const [oldKey, newKey] = [generateSecretsKey(), generateSecretsKey()];
    const sealed = new SecretCipher(parseSecretsKey(oldKey, 'x')).seal('value', 'org/name');
    const cipher = loadSecretsCipher({ WF_SECRETS_KEY: newKey, WF_SECRETS_KEY_PREVIOUS: `${generateSecretsKey()}, ${oldKey}` })!;
    expect(cipher.currentKeyId).toBe(parseSecretsKey(newKey, 'x').id);
    expect(cipher.open(sealed, 'org/name')).toBe('value');
    expect(cipher.needsReseal(sealed)).toBe(true);
  });

  test('WF_SECRETS_KEY wins over the local key, which is used only without it', () => {
    const [envKey, fileKey] = [generateSecretsKey(), generateSecretsKey()];
    expect(loadSecretsCipher({ WF_SECRETS_KEY: envKey }, () => fileKey)!.currentKeyId).toBe(parseSecretsKey(envKey, 'x').id);
    expect(loadSecretsCipher({}, () => fileKey)!.currentKeyId).toBe(parseSecretsKey(fileKey, 'x').id);
  });

  test('a bad key is a ConfigError naming the variable, never echoing the value', () => {
    const bad = 'not-a-key-but-a-password';
    for (const env of [{ WF_SECRETS_KEY: bad }, { WF_SECRETS_KEY: Buffer.alloc(16).toString('base64') }, { WF_SECRETS_KEY: generateSecretsKey(), WF_SECRETS_KEY_PREVIOUS: bad }]) {
      let error: unknown;
      try {
        loadSecretsCipher(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(env.WF_SECRETS_KEY_PREVIOUS ? /^WF_SECRETS_KEY_PREVIOUS \(entry 1\) must be/ : /^WF_SECRETS_KEY must be the base64 of 32/);
      expect((error as Error).message).not.toContain(bad);
    }
  });
});

describe('the local stack key file', () => {
  test('generated on first use with mode 0600, the same key after', () => {
    const path = join(tempDir(), 'secrets.key');
    const first = ensureSecretsKeyFile(path);
    expect(first.created).toBe(true);
    expect(parseSecretsKey(first.key, path).bytes).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key);
    expect(ensureSecretsKeyFile(path)).toEqual({ key: first.key, created: false });
    expect(readSecretsKeyFile(path)).toBe(first.key);
  });

  test('a missing file reads as undefined; a damaged one is refused naming the file', () => {
    const dir = tempDir();
    expect(readSecretsKeyFile(join(dir, 'absent.key'))).toBeUndefined();
    const path = join(dir, 'secrets.key');
    writeFileSync(path, 'garbage\n');
    expect(() => ensureSecretsKeyFile(path)).toThrow(`${path} must be the base64 of 32 random bytes`);
    expect(() => loadSecretsCipher({}, () => readSecretsKeyFile(path))).toThrow(ConfigError);
  });
});

describe('secret names and values', () => {
  test('names follow DESIGN §10', () => {
    expect(secretNameProblem('api.token_1-x')).toBeUndefined();
    for (const bad of ['', 'Upper', '-lead', 'a b', 'a'.repeat(65), 'ü']) expect(secretNameProblem(bad)).toContain('invalid secret name');
  });

  test('values: not empty, no U+0000, at most 64 KiB; the message never quotes the value', () => {
    expect(secretValueProblem('x')).toBeUndefined();
    expect(secretValueProblem('')).toContain('must not be empty');
    expect(secretValueProblem('a\u0000b')).toContain('U+0000');
    const big = 'v'.repeat(MAX_SECRET_BYTES + 1);
    expect(secretValueProblem(big)).toBe(`a secret value is at most ${MAX_SECRET_BYTES} bytes, this one has ${MAX_SECRET_BYTES + 1}`);
  });
});

describe('the key of a wf secret command', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['WF_SECRETS_KEY', 'WF_SECRETS_KEY_PREVIOUS', 'DATABASE_URL', 'WF_DATA_DIR']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  test('the local stack\'s key file only when WF_SECRETS_KEY and DATABASE_URL are both unset; else exit 2 naming WF_SECRETS_KEY', () => {
    const dir = tempDir();
    const { key } = ensureSecretsKeyFile(join(dir, 'secrets.key'));
    delete process.env.WF_SECRETS_KEY;
    delete process.env.WF_SECRETS_KEY_PREVIOUS;
    delete process.env.DATABASE_URL;
    process.env.WF_DATA_DIR = dir;
    expect(cliSecretCipher().currentKeyId).toBe(parseSecretsKey(key, 'x').id);

    process.env.DATABASE_URL = 'postgres://u:p@db.example:5432/wf';
    let error: unknown;
    try {
      cliSecretCipher();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringContaining('WF_SECRETS_KEY is not set') });

    const envKey = generateSecretsKey();
    process.env.WF_SECRETS_KEY = envKey;
    expect(cliSecretCipher().currentKeyId).toBe(parseSecretsKey(envKey, 'x').id);
  });
});
