/**
 * `wf secret reencrypt`: after a key rotation (new key in WF_SECRETS_KEY, the old one in
 * WF_SECRETS_KEY_PREVIOUS), seals every value sealed with an older key again with the current
 * one, in every organization, so the old key can be dropped. Values are opened and sealed in
 * this process only; none is printed or returned.
 */
import type { Queryable } from '../store/query';
import { listSealedSecrets } from '../store/secrets/list-sealed-secrets';
import { resealSecret } from '../store/secrets/reseal-secret';
import type { SecretCipher } from './cipher';
import { secretContext } from './secret-context';

export interface ReencryptResult {
  /** Sealed again with the current key. */
  resealed: number;
  /** Already sealed with the current key. */
  current: number;
  /** Could not be opened with any key given (or changed meanwhile); each with the reason. */
  failed: { organizationId: string; name: string; reason: string }[];
}

export async function reencryptSecrets(db: Queryable, cipher: SecretCipher): Promise<ReencryptResult> {
  const result: ReencryptResult = { resealed: 0, current: 0, failed: [] };
  for (const row of await listSealedSecrets(db)) {
    if (!cipher.needsReseal(row.sealedValue)) {
      result.current++;
      continue;
    }
    const context = secretContext(row.organizationId, row.name);
    let value: string;
    try {
      value = cipher.open(row.sealedValue, context);
    } catch (error) {
      // SealedValueError messages name key ids, never values.
      result.failed.push({ organizationId: row.organizationId, name: row.name, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    // A secret set (or deleted) since the list was read keeps what it has now: sealed with the current key already.
    if (await resealSecret(db, row.organizationId, row.name, row.sealedValue, cipher.seal(value, context))) result.resealed++;
    else result.current++;
  }
  return result;
}
