/**
 * The SecretLookup of the worker (src/activities/secret-scope.ts): reads a secret's sealed
 * value from Postgres and opens it with the worker's SecretCipher, at call time. Permanent
 * conditions fail the node without retries, with a message that says what to fix: no key on
 * this worker, or a value sealed with a key this worker does not have.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SecretLookup } from '../activities/secret-scope';
import { readSealedSecret } from '../store/secrets/read-sealed-secret';
import type { Queryable } from '../store/query';
import { SealedValueError, type SecretCipher } from './cipher';
import { secretContext } from './secret-context';

export function createSecretLookup(db: Queryable, cipher: SecretCipher | undefined): SecretLookup {
  return {
    async value(organizationId, name) {
      if (!cipher) {
        throw ApplicationFailure.create({
          type: 'SecretsKeyMissing',
          message: `secret "${name}" cannot be read: this worker has no WF_SECRETS_KEY (start it with the key the secrets were stored with)`,
          nonRetryable: true,
        });
      }
      // A database error passes through as it is: retryable, like any other lost connection.
      const sealed = await readSealedSecret(db, organizationId, name);
      if (sealed === undefined) return undefined;
      try {
        return cipher.open(sealed, secretContext(organizationId, name));
      } catch (error) {
        if (!(error instanceof SealedValueError)) throw error;
        throw ApplicationFailure.create({ type: 'SecretUnreadable', message: `secret "${name}" cannot be opened: ${error.message}`, nonRetryable: true });
      }
    },
  };
}
