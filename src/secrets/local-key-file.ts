/**
 * The local stack's secrets key (DESIGN §10): `npm start` generates one into
 * `.data/secrets.key` (mode 0600) on first start and uses it on every start after, unless
 * WF_SECRETS_KEY is set. The `wf` CLI reads the same file when it talks to the local stack's
 * database, so `wf secret set` works next to `npm start` without copying the key around.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecretsKey, parseSecretsKey } from './cipher';

export const SECRETS_KEY_FILE = 'secrets.key';

export function secretsKeyPath(dataDir: string): string {
  return join(dataDir, SECRETS_KEY_FILE);
}

/** The key in `path`, checked; undefined when there is no such file. */
export function readSecretsKeyFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  parseSecretsKey(key, path);
  return key;
}

/** The key in `path`, generated (readable by its owner only) when the file does not exist yet. */
export function ensureSecretsKeyFile(path: string): { key: string; created: boolean } {
  const existing = readSecretsKeyFile(path);
  if (existing !== undefined) return { key: existing, created: false };
  const key = generateSecretsKey();
  try {
    // `wx`: two starts racing on a first start must not each write a different key.
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: readSecretsKeyFile(path)!, created: false };
    throw error;
  }
  return { key, created: true };
}
