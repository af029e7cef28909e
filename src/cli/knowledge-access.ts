/**
 * What `wf knowledge search` needs to embed a query for a corpus with a provider embedder: the
 * organization's secret (opened with the CLI's secrets key, as `wf secret` opens it) and the
 * egress rules the worker would apply (WF_HTTP_ALLOW; the local stack's loopback exception when
 * the CLI talks to it). Without a secrets key there is no access, and such a search says so;
 * corpora with the default embedder need none of it.
 */
import { loadLocalStackConfig, loadWorkerConfig } from '../config';
import type { ProviderAccess } from '../knowledge/provider-embedder';
import { createSecretLookup } from '../secrets/postgres-secret-lookup';
import { DEFAULT_DATA_DIR } from '../stack/data-dir';
import type { Queryable } from '../store/query';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';
import { cliSecretCipher } from './secrets-key';

export function cliProviderAccess(db: Queryable, organizationId: string): ProviderAccess | undefined {
  let cipher;
  try {
    cipher = cliSecretCipher();
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
  const local = loadLocalStackConfig(DEFAULT_DATA_DIR);
  const lookup = createSecretLookup(db, cipher);
  return {
    apiKey: async (name) => {
      const value = await lookup.value(organizationId, name);
      if (value === undefined) throw new CliError(`secret "${name}" (this corpus's embedder key) is not stored for organization ${organizationId} (wf secret set ${name})`, EXIT.invalid);
      return value;
    },
    egress: local.externalDatabase ? loadWorkerConfig().httpAllow : local.httpAllow,
  };
}
