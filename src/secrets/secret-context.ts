/**
 * What a stored secret's sealed value is bound to (the cipher's additional data): its row,
 * `<organization id>/<name>`. A sealed value copied to another organization or name does not
 * open. Every seal and open of a stored secret uses this one function.
 */
export function secretContext(organizationId: string, name: string): string {
  return `${organizationId}/${name}`;
}

/** Why a secret cannot be stored: the process has no key. Names the variable to set. */
export const SECRETS_KEY_MISSING = 'WF_SECRETS_KEY is not set, so secrets cannot be stored or read: set it to the base64 of 32 random bytes (openssl rand -base64 32), the same key on every worker, API and CLI (README, "Secrets")';
