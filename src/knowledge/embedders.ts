/** The embedder a corpus names, built for one activity attempt or one client call. */
import type { Embedder, EmbedderSpec } from './embedder';
import { hashEmbedder } from './hash-embedder';
import { providerEmbedder, type ProviderAccess } from './provider-embedder';
import { KnowledgeInputError } from './errors';

export function createEmbedder(spec: EmbedderSpec, access: ProviderAccess | undefined): Embedder {
  if (spec.kind === 'hash') return hashEmbedder(spec.dimensions);
  if (!access) throw new KnowledgeInputError(`this corpus embeds with ${spec.model} at ${spec.url}: searching it needs the worker's secrets (WF_SECRETS_KEY) and egress rules`);
  return providerEmbedder(spec, access);
}
