/** Where a webhook's signing secret is bound when sealed (SecretCipher's additional data): a sealed value copied to another webhook does not open. */
export function webhookSecretContext(organizationId: string, webhookId: string): string {
  return `${organizationId}/webhook/${webhookId}`;
}
