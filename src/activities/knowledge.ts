/**
 * The knowledge-ingest workflow's activities (DESIGN §12): ingest one stored document, or
 * mark it failed once its workflow gave up.
 */
import { Context } from '@temporalio/activity';
import { PUBLIC_ONLY } from '../common/egress-allow';
import { ingestStoredDocument, type IngestResult } from '../knowledge/ingest-stored-document';
import type { ProviderAccess } from '../knowledge/provider-embedder';
import { failDocument } from '../store/knowledge/fail-document';
import type { ActivityDeps } from './deps';
import { knowledgeFailure } from './knowledge-failure';
import { SecretScope } from './secret-scope';

/** A provider embedder's key (an organization secret) and the worker's egress rules. */
export function providerAccess(deps: ActivityDeps, secrets: SecretScope): ProviderAccess {
  return { apiKey: (name) => secrets.secret(name), egress: deps.http?.allow ?? PUBLIC_ONLY };
}

export function knowledgeActivities(deps: ActivityDeps) {
  return {
    async knowledgeIngestDocument(documentId: string): Promise<IngestResult> {
      const context = Context.current();
      let secrets = new SecretScope('', deps.secrets);
      try {
        return await ingestStoredDocument(
          deps.pool,
          documentId,
          (organizationId) => providerAccess(deps, (secrets = new SecretScope(organizationId, deps.secrets))),
          () => context.heartbeat(),
          context.cancellationSignal,
        );
      } catch (error) {
        throw knowledgeFailure(error, secrets);
      }
    },
    knowledgeFailDocument: (documentId: string, reason: string): Promise<void> => failDocument(deps.pool, documentId, reason),
  };
}
