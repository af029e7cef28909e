/**
 * Stored secrets as the API and the CLI set, list and delete them (DESIGN §10). A value is
 * sealed here, before it reaches the database, bound to its row; it is never returned,
 * printed or logged. Rows: src/store/secrets/, the cipher: src/secrets/cipher.ts.
 */
import type { SecretCipher } from '../secrets/cipher';
import { secretContext } from '../secrets/secret-context';
import type { Queryable } from '../store/query';
import { deleteSecret as deleteSecretRow } from '../store/secrets/delete-secret';
import { listSecrets as listSecretRows, type SecretView } from '../store/secrets/list-secrets';
import { upsertSecret } from '../store/secrets/upsert-secret';
import { secretNameSchema } from '../workflows/graph/secret-ref';
import { InvalidRequestError } from './errors';

export type { SecretView } from '../store/secrets/list-secrets';

/** The longest value stored (a PEM key or a service-account JSON fits). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** The problem with a secret name, or undefined when it is valid. */
export function secretNameProblem(name: string): string | undefined {
  const checked = secretNameSchema.safeParse(name);
  return checked.success ? undefined : `invalid secret name ${JSON.stringify(name)}: ${checked.error.issues[0]?.message ?? 'invalid'}`;
}

/** The problem with a secret value (never quoting it), or undefined when it can be stored. */
export function secretValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'a secret value must not be empty';
  if (value.includes('\u0000')) return 'a secret value must not contain U+0000';
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_SECRET_BYTES) return `a secret value is at most ${MAX_SECRET_BYTES} bytes, this one has ${bytes}`;
  return undefined;
}

/** Seals and stores `value` as the organization's secret `name`, replacing one of that name. */
export async function setSecret(db: Queryable, cipher: SecretCipher, organizationId: string, name: string, value: string): Promise<'created' | 'replaced'> {
  const problems = [
    { path: '$.name', message: secretNameProblem(name) },
    { path: '$.value', message: secretValueProblem(value) },
  ].filter((problem): problem is { path: string; message: string } => problem.message !== undefined);
  if (problems.length > 0) throw new InvalidRequestError('the secret cannot be stored', problems);
  return upsertSecret(db, organizationId, name, cipher.seal(value, secretContext(organizationId, name)));
}

/** Names and times, never values. */
export async function listSecrets(db: Queryable, organizationId: string): Promise<SecretView[]> {
  return listSecretRows(db, organizationId);
}

/** False when the organization has no secret of that name. */
export async function deleteSecret(db: Queryable, organizationId: string, name: string): Promise<boolean> {
  return deleteSecretRow(db, organizationId, name);
}
