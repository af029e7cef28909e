/**
 * The secrets key of a `wf secret` command: WF_SECRETS_KEY (and WF_SECRETS_KEY_PREVIOUS), or,
 * when it is unset and DATABASE_URL is too (the command talks to the local stack), the key
 * `npm start` generated into .data/secrets.key. Never a local file for another database: a
 * value sealed with a key its workers do not have could not be read there.
 */
import { loadLocalStackConfig, loadSecretsCipher } from '../config';
import type { SecretCipher } from '../secrets/cipher';
import { readSecretsKeyFile, secretsKeyPath } from '../secrets/local-key-file';
import { SECRETS_KEY_MISSING } from '../secrets/secret-context';
import { DEFAULT_DATA_DIR } from '../stack/data-dir';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

export function cliSecretCipher(): SecretCipher {
  const cipher = loadSecretsCipher(undefined, () => {
    const local = loadLocalStackConfig(DEFAULT_DATA_DIR);
    return local.externalDatabase ? undefined : readSecretsKeyFile(secretsKeyPath(local.dataDir));
  });
  if (!cipher) throw new CliError(SECRETS_KEY_MISSING, EXIT.invalid);
  return cipher;
}
