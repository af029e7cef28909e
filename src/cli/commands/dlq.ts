/** `wf dlq list | show | retry | purge`: act on executions that failed for good. */
import { loadCliConfig } from '../../config';
import type { DeadLetterView } from '../../client';
import { DURATION_RULE, durationMs, isDuration } from '../../workflows/graph/durations';
import type { Json } from '../../workflows/graph/types';
import { CliError } from '../cli-error';
import { configWithOrg, withClient } from '../context';
import { executionJson, executionText } from '../execution-json';
import { EXIT, exitCodeForStatus } from '../exit-codes';
import { parseJson } from '../read-json';

type Out = (line: string) => void;

/** Who acts, for the audit trail: WF_ACTOR, else the login name (src/config.ts). */
function actor(): string {
  return loadCliConfig().actor;
}

/** The list shape of DESIGN §7. */
function listJson(letter: DeadLetterView): Record<string, unknown> {
  return {
    id: letter.id,
    executionId: letter.executionId,
    graphId: letter.graphId,
    graphVersion: letter.graphVersion,
    failedNodes: letter.failedNodes,
    error: letter.error,
    createdAt: letter.createdAt,
  };
}

export async function dlqListCommand(options: { graph?: string; since?: string; all?: boolean; json?: boolean; org?: string }, out: Out): Promise<number> {
  if (options.since !== undefined && !isDuration(options.since)) throw new CliError(`--since ${DURATION_RULE}, not ${JSON.stringify(options.since)}`, EXIT.invalid);
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const letters = await client.listDeadLetters(config.organizationId, {
      graphId: options.graph,
      maxAgeMs: options.since ? durationMs(options.since) : undefined,
      includeResolved: options.all,
    });
    if (options.json) {
      out(JSON.stringify(letters.map(listJson)));
      return EXIT.ok;
    }
    if (letters.length === 0) out('no dead letters');
    for (const letter of letters) {
      out(`${letter.id}  ${letter.createdAt}  ${letter.graphId} v${letter.graphVersion}  ${letter.status}  ${letter.error.type}: ${letter.error.message}  [failed: ${letter.failedNodes.join(', ') || '-'}]`);
    }
    return EXIT.ok;
  });
}

export async function dlqShowCommand(id: string, options: { json?: boolean; org?: string }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const letter = await client.deadLetter(config.organizationId, id);
    const execution = await client.status(config.organizationId, letter.executionId);
    if (options.json) {
      out(JSON.stringify({ ...listJson(letter), status: letter.status, retryExecutionId: letter.retryExecutionId, resolvedAt: letter.resolvedAt, resolvedBy: letter.resolvedBy, execution: executionJson(execution) }));
      return EXIT.ok;
    }
    out(`dead letter ${letter.id} (${letter.status}), created ${letter.createdAt}`);
    if (letter.retryExecutionId) out(`retried as ${letter.retryExecutionId}`);
    out(`failed nodes: ${letter.failedNodes.join(', ') || '-'}`);
    out(executionText(execution));
    return EXIT.ok;
  });
}

export async function dlqRetryCommand(id: string, options: { resume?: boolean; input?: string; json?: boolean; detach?: boolean; org?: string }, out: Out): Promise<number> {
  const input = options.input !== undefined ? (parseJson(options.input, '--input') as Json) : undefined;
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const started = await client.retryDeadLetter(config.organizationId, id, { resume: options.resume, input, actor: actor() });
    if (options.detach) {
      out(options.json ? JSON.stringify({ executionId: started.executionId, status: started.status, retryOf: started.retryOf }) : `started ${started.executionId}`);
      return EXIT.ok;
    }
    const view = await client.waitForEnd(config.organizationId, started.executionId);
    out(options.json ? JSON.stringify(executionJson(view)) : executionText(view));
    return exitCodeForStatus(view.status);
  });
}

export async function dlqPurgeCommand(id: string, options: { org?: string }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    await client.purgeDeadLetter(config.organizationId, id, actor());
    out(`purged ${id}`);
    return EXIT.ok;
  });
}
