/** The embedder a corpus names, built for one activity attempt or one client call. */
import type { Embedder, EmbedderSpec } from './embedder';
import { hashEmbedder } from './hash-embedder';
import { providerEmbedder, type ProviderAccess } from './provider-embedder';
import { KnowledgeInputError } from './errors';
import { safeOrigin } from '../notifications/post-signed';

export function createEmbedder(spec: EmbedderSpec, access: ProviderAccess | undefined): Embedder {
  if (spec.kind === 'hash') return hashEmbedder(spec.dimensions);
  // The API without WF_SECRETS_KEY, or a client SDK caller that gave no access.
  if (!access) throw new KnowledgeInputError(`this corpus embeds with ${spec.model} at ${safeOrigin(spec.url)}: searching it needs its key, an organization secret (WF_SECRETS_KEY), and egress rules that reach it (WF_HTTP_ALLOW)`);
  return providerEmbedder(spec, access);
}
